// Builds stacks for the graph-rule tests the way the engine sees them at `pulumi preview`: a
// value that comes from another resource (`from(x)`) is UNKNOWN and recorded in the property's
// propertyDependencies (and in dependencies); `from(x, "value")` is the same reference with its
// value known, as in an update.
import { expect } from "chai";
import { GraphRule } from "../../../../policies/rules/graph/lib";
import { checkStack, TestResource, UNKNOWN, Violation } from "../../../harness";

/** A resource of a test stack. */
export interface Ref {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
}

const marker = Symbol("from");

interface From {
    readonly [marker]: true;
    readonly source: Ref;
    readonly value: unknown;
}

/** A value that comes from `source`: UNKNOWN unless `value` is given. */
export function from(source: Ref, value: unknown = UNKNOWN): unknown {
    const f: From = { [marker]: true, source, value };
    return f;
}

function isFrom(v: unknown): v is From {
    return v !== null && typeof v === "object" && (v as Record<symbol, unknown>)[marker] === true;
}

export interface AddOptions {
    readonly provider?: Ref;
    readonly protect?: boolean;
    readonly parent?: Ref;
    readonly dependsOn?: readonly Ref[];
}

export class TestStack {
    readonly resources: TestResource[] = [];

    /**
     * @param withPropertyDependencies when false, the stack carries dependencies only (an engine or
     * harness without property dependencies), so rules fall back to them.
     */
    constructor(private readonly withPropertyDependencies = true) {}

    add(type: string, name: string, props: Record<string, unknown> = {}, opts: AddOptions = {}): Ref {
        const urn = `urn:pulumi:test::nonstop::${type}::${name}`;
        const propertyDependencies: Record<string, string[]> = {};
        const plainProps: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(props)) {
            const urns = new Set<string>();
            plainProps[key] = strip(value, urns);
            propertyDependencies[key] = [...urns];
        }
        const dependencies = [...new Set([...Object.values(propertyDependencies).flat(), ...(opts.dependsOn ?? []).map((d) => d.urn)])];
        this.resources.push({
            type,
            name,
            urn,
            props: plainProps,
            parent: opts.parent?.urn,
            dependencies,
            propertyDependencies: this.withPropertyDependencies ? propertyDependencies : {},
            protect: opts.protect,
            provider: opts.provider?.urn,
        });
        return { type, name, urn };
    }

    /** An explicit AWS provider for `region`. */
    awsProvider(name: string, region: string): Ref {
        return this.add("pulumi:providers:aws", name, { region });
    }
}

function strip(value: unknown, urns: Set<string>): unknown {
    if (isFrom(value)) {
        urns.add(value.source.urn);
        return strip(value.value, urns);
    }
    if (Array.isArray(value)) return value.map((v) => strip(v, urns));
    if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, strip(v, urns)]));
    }
    return value;
}

/** Runs a graph rule on a stack through the harness (the real analyzer code). */
export function judge(rule: GraphRule, stack: TestStack, config: Readonly<Record<string, unknown>> = {}): Promise<Violation[]> {
    return checkStack(rule, stack.resources, config);
}

/** The violations, for assertions: `[urn-name, message]`. */
export function onWhat(violations: readonly Violation[]): string[] {
    return violations.map((v) => (v.urn ?? "").split("::").pop() ?? "");
}

/** Asserts the violations are reported on exactly these resources (by name), in any order. */
export function expectOn(violations: readonly Violation[], ...names: string[]): void {
    expect(onWhat(violations).sort(), violations.map((v) => v.message).join("\n")).to.deep.equal([...names].sort());
}

/** Every value of a resource's props replaced by UNKNOWN, recursively (what a preview of outputs would give). */
export function unknownEverywhere(props: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.keys(props).map((k) => [k, UNKNOWN]));
}
