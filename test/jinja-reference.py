#!/usr/bin/env python3
"""Renders template cases with Jinja2 itself: the oracle the engine's compatibility tests compare against.

Reads a JSON list of cases on stdin: {"template": str, "data": {...}, "templates": {name: source},
"compat": "jinja2" | "cncfdemo-v1"}. Prints a JSON list: {"output": str} or {"error": "ExceptionType: message"}.
jinja2 mode: StrictUndefined and json_dump = json.dumps; cncfdemo-v1: Jinja2's default Undefined and the
original cncfdemo json_dump (json.dumps with the outer quotes cut).
"""
import json
import sys

import jinja2


def environment(case):
    compat = case.get("compat", "jinja2")
    templates = dict(case.get("templates") or {})
    templates["main"] = case["template"]
    undefined = jinja2.Undefined if compat == "cncfdemo-v1" else jinja2.StrictUndefined
    env = jinja2.Environment(loader=jinja2.DictLoader(templates), undefined=undefined)
    if compat == "cncfdemo-v1":
        env.filters["json_dump"] = lambda value: json.dumps(value)[1:-1]
    else:
        env.filters["json_dump"] = json.dumps
    return env


def render(case):
    try:
        return {"output": environment(case).get_template("main").render(**(case.get("data") or {}))}
    except Exception as err:  # every failure is a result to compare, not a crash
        return {"error": f"{type(err).__name__}: {err}"}


def main():
    cases = json.load(sys.stdin)
    json.dump({"version": jinja2.__version__, "results": [render(c) for c in cases]}, sys.stdout)


if __name__ == "__main__":
    main()
