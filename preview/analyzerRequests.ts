// The Analyze and AnalyzeStack requests the in-process pack host hands the policy SDK's handlers.
//
// Under the CLI these are protobuf messages decoded from the wire. In process nothing crosses a
// wire: the SDK reads a request only through its getters, and reads them once per policy (some
// forty stack policies each rebuild every resource from them). Protobuf messages answered those
// reads by copying lists and sorting each property-dependency map on every call: a third of the
// stack policies' time and most of their garbage. These views answer the same getters with the
// same values (protobuf's defaults for what is unset: "", false, empty lists, no message), each
// list made once per request and then shared by the policies of that call, as a decoded message's
// lists are.
import { toAnalyzerWire } from "./values";
import type { RecordedResource } from "./program";

/** What the SDK's deserializeProperties reads: the props as the engine marshals them for analyzers. */
export interface PropsStruct {
    toJavaScript(): unknown;
}

/**
 * A resource's props as the engine marshals them for analyzers (resource references as ids or
 * URNs, internal keys dropped: see values.ts). One per resource per request, so that the SDK's
 * decoding is shared by the policies of one call (see decodeOncePerCall); the SDK builds its own
 * objects from the value and never mutates it.
 */
function propsOf(r: RecordedResource): PropsStruct {
    const raw = r.rawInputs as { toJavaScript?: () => unknown } | undefined;
    const js = toAnalyzerWire(typeof raw?.toJavaScript === "function" ? raw.toJavaScript() : (raw ?? {}));
    return { toJavaScript: () => js };
}

/** AnalyzerProviderResource; and what every request describing a resource starts with. */
class ProviderView {
    private readonly props: PropsStruct;
    constructor(protected readonly r: RecordedResource) {
        this.props = propsOf(r);
    }
    getType(): string {
        return this.r.type;
    }
    getProperties(): PropsStruct {
        return this.props;
    }
    getUrn(): string {
        return this.r.urn;
    }
    getName(): string {
        return this.r.name;
    }
}

/** AnalyzerResourceOptions.CustomTimeouts, in seconds. */
class TimeoutsView {
    constructor(
        private readonly create: number,
        private readonly update: number,
        private readonly remove: number,
    ) {}
    getCreate(): number {
        return this.create;
    }
    getUpdate(): number {
        return this.update;
    }
    getDelete(): number {
        return this.remove;
    }
}

/** AnalyzerResourceOptions. */
class OptionsView {
    private readonly ignoreChanges: string[];
    private readonly additionalSecretOutputs: string[];
    private readonly aliases: string[];
    private readonly timeouts: TimeoutsView | undefined;
    constructor(private readonly r: RecordedResource) {
        this.ignoreChanges = [...r.ignoreChanges];
        this.additionalSecretOutputs = [...r.additionalSecretOutputs];
        this.aliases = [...r.aliases];
        const t = r.customTimeouts;
        this.timeouts = t ? new TimeoutsView(durationSeconds(t.create), durationSeconds(t.update), durationSeconds(t.delete)) : undefined;
    }
    getProtect(): boolean {
        return this.r.protect;
    }
    getIgnorechangesList(): string[] {
        return this.ignoreChanges;
    }
    getDeletebeforereplace(): boolean {
        return this.r.deleteBeforeReplace ?? false;
    }
    getDeletebeforereplacedefined(): boolean {
        return this.r.deleteBeforeReplace !== undefined;
    }
    getAdditionalsecretoutputsList(): string[] {
        return this.additionalSecretOutputs;
    }
    getAliasesList(): string[] {
        return this.aliases;
    }
    getCustomtimeouts(): TimeoutsView | undefined {
        return this.timeouts;
    }
    getParent(): string {
        return this.r.parent ?? "";
    }
}

/** AnalyzerPropertyDependencies. */
class UrnsView {
    constructor(private readonly urns: string[]) {}
    getUrnsList(): string[] {
        return this.urns;
    }
}

/** The property-dependency map of an AnalyzerResource: entries in key order, as protobuf's map iterates. */
class PropertyDependenciesView {
    constructor(private readonly list: readonly (readonly [string, UrnsView])[]) {}
    /** The only way the SDK reads the map. */
    entries(): IterableIterator<readonly [string, UrnsView]> {
        return this.list[Symbol.iterator]();
    }
}

/** The providers of one request, one view each, so their props are decoded once per call. */
class Providers {
    private readonly views = new Map<string, ProviderView | undefined>();
    constructor(private readonly byUrn: ReadonlyMap<string, RecordedResource>) {}
    of(r: RecordedResource): ProviderView | undefined {
        if (!r.provider) return undefined;
        // A provider reference is the provider's URN, "::", and its id.
        const urn = r.provider.split("::").slice(0, -1).join("::");
        if (!this.views.has(urn)) {
            const p = this.byUrn.get(urn);
            this.views.set(urn, p && new ProviderView(p));
        }
        return this.views.get(urn);
    }
}

/** AnalyzeRequest, and with its graph fields AnalyzerResource. */
class ResourceView extends ProviderView {
    private readonly options: OptionsView;
    private readonly provider: ProviderView | undefined;
    private readonly dependencies: string[];
    private readonly propertyDependencies: PropertyDependenciesView;
    constructor(r: RecordedResource, providers: Providers) {
        super(r);
        this.options = new OptionsView(r);
        this.provider = providers.of(r);
        this.dependencies = [...r.dependencies];
        // The engine leaves out properties that depend on nothing.
        const deps = Object.entries(r.propertyDependencies)
            .filter(([, urns]) => urns.length > 0)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
            .map(([k, urns]) => [k, new UrnsView([...urns])] as const);
        this.propertyDependencies = new PropertyDependenciesView(deps);
    }
    getOptions(): OptionsView {
        return this.options;
    }
    getProvider(): ProviderView | undefined {
        return this.provider;
    }
    getParent(): string {
        return this.r.parent ?? "";
    }
    getDependenciesList(): string[] {
        return this.dependencies;
    }
    getPropertydependenciesMap(): PropertyDependenciesView {
        return this.propertyDependencies;
    }
}

/** The Analyze request for one resource (its policies judge it alone, before it is created). */
export function analyzeRequest(r: RecordedResource, byUrn: ReadonlyMap<string, RecordedResource>): ResourceView {
    return new ResourceView(r, new Providers(byUrn));
}

/** The AnalyzeStack request: every resource of the stack, with parents and dependencies. */
export function analyzeStackRequest(resources: readonly RecordedResource[], byUrn: ReadonlyMap<string, RecordedResource>): { getResourcesList(): ResourceView[] } {
    const providers = new Providers(byUrn);
    const list = resources.map((r) => new ResourceView(r, providers));
    return { getResourcesList: () => list };
}

/** A CustomTimeouts duration ("5m", "1h30m", "90s") in seconds, as the engine sends it to analyzers. */
export function durationSeconds(d: string | undefined): number {
    if (!d) return 0;
    let total = 0;
    for (const [, n, unit] of d.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) {
        const v = Number(n);
        total += unit === "h" ? v * 3600 : unit === "m" ? v * 60 : unit === "s" ? v : v / 1000;
    }
    return total;
}
