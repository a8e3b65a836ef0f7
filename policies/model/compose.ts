// How the terms of one RTO or RPO add up, in one place so the estimate and the judge (its
// dominant term, its fixes) always compose them the same way:
//   - one sequence of steps (no term has `paths`): the sum, an upper bound;
//   - traffic and data in parallel (terms carry `paths`): the longer of the two paths, each the
//     sum of its own terms; terms on both paths (the detection that starts them) count in both.
// A composition term (kind "composition") restates the total and never counts.
import { RecoveryPath, Term } from "./types";

const PATHS: readonly RecoveryPath[] = ["traffic", "data"];

function counted(terms: readonly Term[]): Term[] {
    return terms.filter((t) => t.kind !== "composition");
}

function sumOf(terms: readonly Term[]): number {
    return terms.reduce((a, t) => a + (t.seconds ?? 0), 0);
}

export function isParallel(terms: readonly Term[]): boolean {
    return counted(terms).some((t) => t.paths !== undefined);
}

/** The terms that lie on `path`. */
export function onPath(terms: readonly Term[], path: RecoveryPath): Term[] {
    return counted(terms).filter((t) => t.paths?.includes(path));
}

/** The total of the terms; null when one of them is unknown. */
export function composedSeconds(terms: readonly Term[]): number | null {
    const own = counted(terms);
    if (own.some((t) => t.unknown)) return null;
    if (!isParallel(own)) return sumOf(own);
    return Math.max(...PATHS.map((p) => sumOf(onPath(own, p))));
}

/**
 * The terms the total is made of: every term of a sequence; the terms of the longer path when
 * the paths run in parallel (of both when they take as long).
 */
export function decidingTerms(terms: readonly Term[]): Term[] {
    const own = counted(terms);
    if (!isParallel(own)) return own;
    const [traffic, data] = PATHS.map((p) => sumOf(onPath(own, p)));
    if (traffic === data) return own;
    return onPath(own, traffic > data ? "traffic" : "data");
}

/** `30 + 30 + 60 = 120 s`: a path's arithmetic for a composition formula. */
export function pathArithmetic(terms: readonly Term[], path: RecoveryPath): string {
    const on = onPath(terms, path);
    return `${on.map((t) => t.seconds ?? "?").join(" + ")} = ${sumOf(on)} s`;
}
