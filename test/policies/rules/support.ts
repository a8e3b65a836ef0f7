// Shared by the resource-rule tests: one-mutation helpers over happy-path factories, and the
// assertions every rule test makes about its violations.
import { expect } from "chai";
import { Policy } from "../../../policies/lib/policy";
import { checkResource, Violation } from "../../harness";

/** Props as the harness takes them: a typed factory's output, or one mutated by `set`/`unset`. */
export type Props = Readonly<Record<string, unknown>>;

function clone<T>(v: T): T {
    if (Array.isArray(v)) return v.map(clone) as T;
    if (v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clone(x)])) as T;
    }
    return v;
}

function parts(path: string): string[] {
    // "a.b[0].c" and keys with dots in brackets: spec["x.y/z"]
    return [...path.matchAll(/\["([^"]+)"\]|\[(\d+)\]|([^.[\]]+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

/** A copy of `props` with the value at `path` (e.g. "spec.template.spec.containers[0].readinessProbe") set. */
export function set(props: object, path: string, value: unknown): Props {
    const out = clone(props) as Record<string, unknown>;
    const keys = parts(path);
    let node: Record<string, unknown> = out;
    for (const k of keys.slice(0, -1)) {
        if (node[k] === null || typeof node[k] !== "object") node[k] = {};
        node = node[k] as Record<string, unknown>;
    }
    node[keys[keys.length - 1]] = value;
    return out;
}

/** A copy of `props` without the value at `path`. */
export function unset(props: object, path: string): Props {
    const out = clone(props) as Record<string, unknown>;
    const keys = parts(path);
    let node: unknown = out;
    for (const k of keys.slice(0, -1)) {
        if (node === null || typeof node !== "object") return out;
        node = (node as Record<string, unknown>)[k];
    }
    if (node !== null && typeof node === "object") {
        if (Array.isArray(node)) node.splice(Number(keys[keys.length - 1]), 1);
        else delete (node as Record<string, unknown>)[keys[keys.length - 1]];
    }
    return out;
}

/**
 * Asserts exactly one violation, of `policy`, advisory by default, whose message names the resource
 * (`<type> "<name>"`) and contains every fragment (the property, the value found, the fix).
 */
export function expectOne(violations: readonly Violation[], policy: string, subject: string, ...fragments: string[]): Violation {
    expect(violations.map((v) => v.message), "violations").to.have.length(1);
    const [v] = violations;
    expect(v.policy).to.equal(policy);
    expect(v.message).to.include(subject);
    for (const f of fragments) expect(v.message).to.include(f);
    return v;
}

/** Asserts no violations (showing any messages on failure). */
export function expectNone(violations: readonly Violation[]): void {
    expect(violations.map((v) => v.message)).to.deep.equal([]);
}

/** Runs `policy` on one resource of `type` named `name`, through the harness (the real analyzer code). */
export function checker(policy: Policy, type: string, name: string): (props: object, config?: Readonly<Record<string, unknown>>) => Promise<Violation[]> {
    return (props, config) => checkResource(policy, { type, name, props: props as Props }, config);
}
