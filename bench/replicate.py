#!/usr/bin/env python3
"""A big spec made of a real one: SPEC's paths, operations and components
copied N times, the k-th copy under renamed paths (`/r{k}/...`),
operationIds (`r{k}_...`) and component names (`R{k}...`, every `$ref`
following), tags kept (each tag has N times the operations). Used by the
scale benchmark to make Nexus (193 operations) into ~770.

    bench/replicate.py SPEC N OUT
"""
import copy
import json
import sys

COMPONENT_KINDS = (
    "schemas", "parameters", "responses", "requestBodies",
    "headers", "examples", "links", "callbacks", "securitySchemes",
)
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def renamed_refs(node, k):
    """`node` with every local component `$ref` pointing at copy k."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/components/"):
                _, _, kind, name = value.split("/", 3)
                out[key] = f"#/components/{kind}/R{k}{name}"
            else:
                out[key] = renamed_refs(value, k)
        return out
    if isinstance(node, list):
        return [renamed_refs(v, k) for v in node]
    return node


def main():
    spec_path, n, out_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(spec_path) as f:
        spec = json.load(f)
    paths, components = {}, {}
    for k in range(1, n + 1):
        for path, item in spec.get("paths", {}).items():
            item = renamed_refs(copy.deepcopy(item), k)
            for method in METHODS:
                op = item.get(method)
                if isinstance(op, dict) and "operationId" in op:
                    op["operationId"] = f"r{k}_{op['operationId']}"
            paths[f"/r{k}{path}"] = item
        for kind in COMPONENT_KINDS:
            if kind == "securitySchemes":
                continue  # shared: the copies are one API
            for name, value in spec.get("components", {}).get(kind, {}).items():
                components.setdefault(kind, {})[f"R{k}{name}"] = renamed_refs(value, k)
    if "securitySchemes" in spec.get("components", {}):
        components["securitySchemes"] = spec["components"]["securitySchemes"]
    spec["paths"] = paths
    spec["components"] = components
    spec["info"]["title"] = f"{spec['info']['title']} x{n}"
    with open(out_path, "w") as f:
        json.dump(spec, f, indent=2)
        f.write("\n")
    ops = sum(1 for item in paths.values() for m in METHODS if m in item)
    print(f"{out_path}: {ops} operations, {len(components.get('schemas', {}))} schemas")


if __name__ == "__main__":
    main()
