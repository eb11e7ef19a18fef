#!/usr/bin/env bash
# Builds the container images that a real node runs here (no image registry is reachable) from the recipes in
# data/images/*.yaml: OCI layouts under ${CNCFDEMO_CACHE:-~/.cache/cncfdemo}/images/<key>-<hash>/, keyed on a
# hash of the recipe and everything it builds from, so an image is rebuilt only when missing or when its
# recipe changed. Debian images share one mmdebstrap base layer (hard-linked between layouts, pushed once);
# busybox, pause and the Go-built images (CoreDNS, kube-state-metrics) carry only their own files.
# Writes images/index.json (name -> reference, digest, layout) and prints its path on stdout; one line per
# image on stderr.
#
#   scripts/build-images.sh [KEY...]     (default: every recipe; KEY is a recipe's file name without .yaml)
set -euo pipefail
shopt -s inherit_errexit

# shellcheck source=lib/go-build.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/go-build.sh"

recipes=$root/data/images
helper=$root/scripts/lib/image-recipe.mjs
images=$cache/images
debs=$images/debs
# Every image's key includes these: a change to how images are built rebuilds them all.
build_inputs=("${BASH_SOURCE[0]}" "$root/scripts/lib/go-build.sh" "$helper")

# Checked only when something is to be built: cached images need none of these.
require_build_tools() {
  local tool
  for tool in mmdebstrap umoci; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "error: building the container images needs $tool; install it (apt-get install mmdebstrap umoci) and retry" >&2
      exit 3
    fi
  done
  if [ "$(id -u)" != 0 ]; then
    echo "error: building the container images needs root (mmdebstrap --mode=root keeps the packages' file owners)" >&2
    exit 3
  fi
}

recipe() { node "$helper" "$@"; }

mkdir -p "$images" "$debs"
# One build at a time per cache (set-up and a test may both ask).
exec 9>"$images/.lock"
flock 9

work=$(mktemp -d "$images/.work.XXXXXX")
cleanup() {
  # mmdebstrap unmounts what it mounted, even on failure; this is the safety net before deleting.
  awk -v w="$work/" 'index($2, w) == 1 { print $2 }' /proc/mounts | sort -r | xargs -r -n1 umount -l
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT

# deterministic_tar DIR OUT: the same files give the same bytes (and so the same layer digest) on every build.
deterministic_tar() {
  tar --sort=name --numeric-owner --mtime=@0 --xattrs --xattrs-include=security.capability -C "$1" -cf "$2" .
}

# debootstrap_into DIR ARGS...: mmdebstrap with the shared .deb cache (packages are downloaded once) and
# without documentation; the rest of the arguments choose the variant and packages.
debootstrap_into() {
  local dir=$1; shift
  mmdebstrap --mode=root --format=directory --quiet \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/info/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --setup-hook='mkdir -p "$1"/var/cache/apt/archives/' \
    --setup-hook="sync-in $debs /var/cache/apt/archives/" \
    --customize-hook="sync-out /var/cache/apt/archives $debs" \
    "$@" "$suite" "$dir" >"$work/mmdebstrap.log" 2>&1 || {
    tail -20 "$work/mmdebstrap.log" >&2
    echo "error: mmdebstrap failed (log above); Debian's package mirror must be reachable" >&2
    return 1
  }
}

# The shared Debian base: an OCI layout tagged "base" with one layer, built once per base.conf.
# shellcheck source=../data/images/base.conf
source "$recipes/base.conf"
# Its key is base.conf and this format number (bump it when the base's build steps below change): editing
# the rest of the script rebuilds the images, not the base.
base_format=1
base_hash=$( (cat "$recipes/base.conf"; echo "format=$base_format") | sha256sum | cut -c1-16)
base=$images/base-$base_hash
ensure_base() {
  [ ! -f "$base/index.json" ] || return 0
  require_build_tools
  echo "image base (Debian $suite $variant): building ..." >&2
  local started=$SECONDS
  debootstrap_into "$work/base-rootfs" --variant="$variant" \
    --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr --skip=essential/unlink
  # Runtimes mount /dev; the layer keeps only the empty directory.
  rm -rf "${work:?}/base-rootfs/dev/"*
  deterministic_tar "$work/base-rootfs" "$work/base.tar"
  rm -rf "$work/base-rootfs"
  umoci init --layout "$work/base"
  umoci new --image "$work/base:base"
  umoci raw add-layer --image "$work/base:base" --history.created_by="mmdebstrap --variant=$variant $suite" "$work/base.tar"
  rm -f "$work/base.tar"
  for old in "$images"/base-*; do [ "$old" = "$base" ] || rm -rf "$old"; done
  mv "$work/base" "$base"
  echo "image base: built in $((SECONDS - started))s" >&2
}

# The minimal root of images without the Debian base: /etc/passwd, group, nsswitch.conf and /tmp.
minimal_root_tar() {
  if [ ! -f "$work/minimal-root.tar" ]; then
    cp -a "$recipes/minimal-root" "$work/minimal-root"
    mkdir -p -m 1777 "$work/minimal-root/tmp"
    chmod -R u=rwX,go=rX "$work/minimal-root/etc"
    tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$work/minimal-root" -cf "$work/minimal-root.tar" .
  fi
  echo "$work/minimal-root.tar"
}

# copy_files ROOTFS: the recipe's files and bundle into the image's root.
copy_files() {
  local rootfs=$1 i
  for ((i = 0; i < ${#recipe_files[@]}; i += 3)); do
    install -D -m "${recipe_files[i + 2]}" "$root/${recipe_files[i]}" "$rootfs${recipe_files[i + 1]}"
  done
  if [ "${#recipe_bundle[@]}" -gt 0 ]; then install -D -m 0644 "$work/bundle.mjs" "$rootfs${recipe_bundle[1]}"; fi
}

# build_debian LAYOUT -> the tag: the base layer, then one layer with the packages on top.
build_debian() {
  local layout=$1 bundle=$work/bundle-rootfs
  mkdir -p "$layout"
  cp "$base/oci-layout" "$base/index.json" "$layout/"
  cp -al "$base/blobs" "$layout/blobs"
  umoci unpack --image "$layout:base" "$bundle" >/dev/null
  debootstrap_into "$bundle/rootfs" --variant=custom --skip=check/empty --skip=essential/unlink \
    --include="$(IFS=,; echo "${recipe_packages[*]}")"
  rm -rf "${bundle:?}/rootfs/dev/"* "$bundle/rootfs/var/cache/apt/"*.bin
  copy_files "$bundle/rootfs"
  numeric_user "$bundle/rootfs" >"$work/user"
  local tag
  tag=$(version_tag "$(dpkg-query --admindir="$bundle/rootfs/var/lib/dpkg" -W -f='${Version}' "$recipe_tag_package")")
  umoci repack --image "$layout:$tag" --history.created_by="apt-get install ${recipe_packages[*]}" "$bundle" >/dev/null
  umoci rm --image "$layout:base" >&2
  rm -rf "$bundle"
  echo "$tag"
}

# numeric_user ROOTFS -> the recipe's user as UID:GID, looked up in the image's /etc/passwd (the packages
# create their users at install time, so the numbers are known only now). Kubernetes' runAsNonRoot can verify
# only a numeric user.
numeric_user() {
  local arg user
  for arg in "${recipe_config_args[@]}"; do
    [[ $arg == --config.user=* ]] || continue
    user=${arg#--config.user=}
    if [[ $user =~ ^[0-9]+(:[0-9]+)?$ ]]; then echo "$user"; return; fi
    awk -F: -v u="$user" '$1 == u { print $3 ":" $4; found = 1 } END { exit !found }' "$1/etc/passwd" || {
      echo "error: recipe $recipe_key: user $user is not in the image's /etc/passwd" >&2
      return 2
    }
  done
}

# build_busybox LAYOUT -> the tag: Debian's static busybox with a link per applet in /bin.
build_busybox() {
  local layout=$1 pkg=${recipe_packages[0]} layer=$work/busybox-layer
  # The extract variant runs no hooks: keep its downloaded package to read the version from.
  debootstrap_into "$work/busybox-extract" --variant=extract --include="$pkg" --skip=cleanup/apt/cache
  local deb
  deb=$(ls "$work/busybox-extract/var/cache/apt/archives/${pkg}"_*.deb)
  mkdir -p "$layer/bin"
  install -m 0755 "$(find "$work/busybox-extract" -path '*bin/busybox' -type f | head -1)" "$layer/bin/busybox"
  local tag
  tag=$(version_tag "$(dpkg-deb -f "$deb" Version)")
  rm -rf "$work/busybox-extract"
  local applet
  for applet in $("$layer/bin/busybox" --list); do
    [ "$applet" = busybox ] || ln -s busybox "$layer/bin/$applet"
  done
  static_image "$layout" "$tag" "$layer" "$pkg"
}

# build_go LAYOUT -> the tag: one static binary at DIR/BINARY (DIR default /), built from its pinned wrapper module.
build_go() {
  local layout=$1 module=${recipe_go[0]} package=${recipe_go[1]} binary=${recipe_go[2]} ldflags=${recipe_go[3]}
  local target=${recipe_go[4]:-/}
  require_go "$recipe_name"
  local version dir
  version=$(pinned_version "$root/$module" "$recipe_tag_module")
  dir=$(build_set "$binary" "$version" "$root/$module" "-s -w ${ldflags//\{version\}/$version}" "$binary=$package")
  mkdir -p "$work/go-layer$target"
  install -m 0755 "$dir/$binary" "$work/go-layer${target%/}/$binary"
  static_image "$layout" "${version#v}$recipe_tag_suffix" "$work/go-layer" "go build $package@$version"
}

# build_pause LAYOUT -> the tag: Kubernetes' pause.c from the pinned module, linked statically; without it
# (or without a C compiler) a busybox shell that sleeps until told to stop.
build_pause() {
  local layout=$1 module=${recipe_pause[0]} path=${recipe_pause[1]} source=${recipe_pause[2]} src
  src=$( (cd "$root/$module" && go mod download -json "$path" 2>/dev/null) |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')/$source || src=""
  mkdir -p "$work/pause-layer"
  if [ -f "$src" ] && command -v gcc >/dev/null 2>&1; then
    gcc -Os -Wall -Werror -static -DVERSION="$recipe_tag_fixed" -o "$work/pause-layer/pause" "$src"
    strip "$work/pause-layer/pause"
    static_image "$layout" "$recipe_tag_fixed$recipe_tag_suffix" "$work/pause-layer" "gcc -static $source"
  else
    echo "warning: $source or gcc is missing; the pause image is a sleeping busybox shell instead" >&2
    install -D -m 0755 "$(command -v busybox)" "$work/pause-layer/bin/busybox"
    printf '#!/bin/busybox sh\ntrap "exit 0" TERM INT\nwhile :; do /bin/busybox sleep 3600 & wait; done\n' >"$work/pause-layer/pause"
    chmod 0755 "$work/pause-layer/pause"
    static_image "$layout" "$recipe_tag_fixed$recipe_tag_suffix" "$work/pause-layer" "busybox pause"
  fi
}

# static_image LAYOUT TAG DIR CREATED_BY -> the tag: the minimal root (if the recipe asks) and DIR as layers.
static_image() {
  local layout=$1 tag=$2 dir=$3 created_by=$4
  umoci init --layout "$layout" >&2
  umoci new --image "$layout:$tag" >&2
  if [ "$recipe_minimal_root" = 1 ]; then
    umoci raw add-layer --image "$layout:$tag" --history.created_by="minimal root" "$(minimal_root_tar)" >&2
  fi
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$dir" -cf "$work/layer.tar" .
  umoci raw add-layer --image "$layout:$tag" --history.created_by="$created_by" "$work/layer.tar" >&2
  rm -rf "$work/layer.tar" "$dir"
  echo "$tag"
}

# version_tag DEBIAN_VERSION -> the recipe's tag for that package version (upstream part + suffix).
version_tag() {
  echo "$(recipe upstream-version "$1")$recipe_tag_suffix"
}

keys=("$@")
if [ "${#keys[@]}" -eq 0 ]; then
  for f in "$recipes"/*.yaml; do keys+=("$(basename "$f" .yaml)"); done
fi
built=()
for key in "${keys[@]}"; do
  file=$recipes/$key.yaml
  if [ ! -f "$file" ]; then
    echo "error: no image recipe $key (data/images/$key.yaml); known: $(cd "$recipes" && ls ./*.yaml | sed 's|^\./||; s|\.yaml$||' | tr '\n' ' ')" >&2
    exit 2
  fi
  eval "$(recipe fields "$file")"
  inputs=("${build_inputs[@]}")
  if [ "${#recipe_bundle[@]}" -gt 0 ]; then
    # Bundled first: the bundle's bytes are part of the key, so a change to the server's code rebuilds it.
    "$root/node_modules/.bin/esbuild" "$root/${recipe_bundle[0]}" --bundle --platform=node --target=node18 \
      --format=esm --log-level=warning --outfile="$work/bundle.mjs"
    inputs+=("$work/bundle.mjs")
  fi
  [ "$recipe_kind" != debian ] || inputs+=("=base:$base_hash")
  [ "$recipe_minimal_root" = 0 ] || inputs+=("$recipes/minimal-root/etc/passwd" "$recipes/minimal-root/etc/group" "$recipes/minimal-root/etc/nsswitch.conf")
  hash=$(recipe hash "$file" "${inputs[@]}" | cut -c1-16)
  out=$images/$key-$hash
  if [ -f "$out/image.json" ]; then
    echo "image $recipe_name: cached ($(basename "$out"))" >&2
  else
    require_build_tools
    [ "$recipe_kind" != debian ] || ensure_base
    echo "image $recipe_name: building ..." >&2
    started=$SECONDS
    rm -rf "$work/layout"
    tag=$("build_$recipe_kind" "$work/layout")
    config_args=("${recipe_config_args[@]}")
    if [ -s "$work/user" ]; then config_args+=("--config.user=$(cat "$work/user")"); fi
    rm -f "$work/user"
    umoci config --image "$work/layout:$tag" --history.created_by="cncfdemo image config" "${config_args[@]}"
    umoci gc --layout "$work/layout"
    recipe image-json "$work/layout" "$recipe_name" "$tag" "$key" "$hash" "$((SECONDS - started))" >"$work/layout/image.json"
    for old in "$images/$key"-*; do [ "$old" = "$out" ] || rm -rf "$old"; done
    mv "$work/layout" "$out"
    echo "image $recipe_name:$tag: built in $((SECONDS - started))s, $(recipe size "$out")" >&2
  fi
  built+=("$out")
done

recipe index "$images/index.json" "${built[@]}" >"$work/index.json"
mv "$work/index.json" "$images/index.json"
echo "$images/index.json"
