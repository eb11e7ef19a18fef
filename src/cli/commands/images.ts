import { Command } from 'commander';
import { serveImages } from '../../api/images.js';
import type { CliContext } from '../context.js';
import { integerOption } from '../options.js';

/** `images serve`: the real node's images on a loopback registry, until interrupted. */
export function imagesCommand(ctx: CliContext): Command {
  const images = new Command('images').description(
    'container images for a real node on a machine without registry access',
  );
  images
    .command('serve')
    .description(
      'build the images from Debian packages and pinned modules (first time, as root) and serve them on 127.0.0.1 until interrupted',
    )
    .option('--port <port>', 'loopback port of the registry (default: a free one)', integerOption)
    .action(async (flags: { port?: number }) => {
      const served = await serveImages({
        ...(flags.port === undefined ? {} : { port: flags.port }),
        env: ctx.io.env,
      });
      ctx.io.stdout.write(
        [
          `serving ${served.images.length} images on ${served.registry.url}:`,
          ...served.images.map((i) => `  ${i}`),
          'create a real node that pulls through it with:',
          `  cncfdemo cluster create --real-node ${served.mirrorFlags.join(' ')}${served.dnsImage ? ` --dns-image ${served.dnsImage}` : ''}`,
          'then: cncfdemo start --values manifests/profiles/offline.yaml   (Ctrl-C stops the registry)',
          '',
        ].join('\n'),
      );
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await served.registry.stop();
    });
  return images;
}
