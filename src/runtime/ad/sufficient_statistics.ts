/**
 * A program rewrite for densities: every likelihood `y ~ normal(loc, sigma)` with fixed data y, a
 * scalar sigma and a `loc` that is affine in a few non-fixed "coordinate" nodes with fixed
 * coefficients becomes one `gaussian_linear` node (see `GaussianLinearOp`) that reads only K × K
 * sufficient statistics. For N ≫ K (regressions: loc = X·w + alpha, or a sum of data columns
 * times scalar coefficients) a gradient then costs O(K²) instead of two passes over the design
 * and a loop over the N observations; the value is the same up to rounding.
 *
 * What counts as affine (all vector nodes of the observation's size N, coefficients static):
 * static scalars and vectors (an offset); a non-static scalar node (a coordinate with a column
 * of ones, e.g. an intercept); `matvec(A, x)` for non-static x (x is a coordinate, A's columns are
 * its columns); `neg`, `add`, `sub`; `mul` by a static scalar or vector and `div` by one. Any other
 * non-static vector in `loc` (a gather, exp(w), a product of two unknowns) leaves the term alone.
 * A term is rewritten only when K² is at most the number of design entries the original loop
 * reads per call (the operators' stored entries plus N per scalar coordinate): a K × K product must
 * not cost more than the loop it replaces (radon's 85 county intercepts for 919 houses are not
 * worth it). Operators other than dense ones and those reporting `nnz` are not rewritten, since
 * their per-call cost is not known here.
 *
 * The rewrite is for log densities only: simulation and read-out need the observation's term.
 * @module runtime/ad/sufficient_statistics
 */
import { normal } from "../dists/normal.js";
import type { LinearOperator } from "../linear_operator.js";
import { type Design, gaussianLinearStatistics } from "./gaussian_linear.js";
import {
  type DensityTerm,
  type GaussianLinearOp,
  type Program,
  type ProgramNode,
  staticNodes,
  type Term,
} from "./program.js";

/** A fixed coefficient: a number (broadcast) or one per observation. */
type Coefficient = number | Float64Array;

/** Columns of the design contributed by one coordinate node: scale ⊙ (A·e_j), or scale ⊙ 1 for a scalar. */
interface Block {
  readonly coord: number;
  readonly operator?: LinearOperator;
  readonly scale: Coefficient;
}

/** loc = offset + Σ blocks. */
interface Affine {
  readonly offset: Coefficient;
  readonly blocks: readonly Block[];
}

/**
 * Replaces eligible Gaussian likelihood terms by `gaussian_linear` nodes (the terms become factors
 * of those nodes, in the same place and part). Returns `program` itself when nothing qualifies.
 *
 * @param program - the program whose densities are to be generated
 * @param staticValue - the value of a static node (e.g. `CompiledProgram.read` of the compiled program)
 * @returns a program with the same log density
 * @example
 * ```ts
 * const full = compileProgram(program, { sufficientStatistics: false });
 * const reduced = collapseGaussianLikelihoods(program, (i) => full.read(i));
 * ```
 */
export function collapseGaussianLikelihoods(
  program: Program,
  staticValue: (node: number) => number | Float64Array,
): Program {
  const analysis = new AffineAnalysis(program.nodes, staticValue);
  let nodes: ProgramNode[] | undefined;
  const terms: Term[] = [...program.terms];
  program.terms.forEach((term, t) => {
    if (term.kind !== "density") return;
    const op = analysis.collapse(term);
    if (op === undefined) return;
    nodes ??= [...program.nodes];
    nodes.push({ ...op, size: 1, scalar: true });
    terms[t] = { kind: "factor", value: nodes.length - 1, part: term.part };
  });
  return nodes === undefined ? program : { nodes, terms, dimension: program.dimension };
}

class AffineAnalysis {
  private readonly isStatic: boolean[];

  constructor(
    private readonly nodes: readonly ProgramNode[],
    private readonly staticValue: (node: number) => number | Float64Array,
  ) {
    this.isStatic = staticNodes(nodes);
  }

  /** The `gaussian_linear` operation equal to a term, or undefined when the term does not qualify. */
  collapse(term: DensityTerm): GaussianLinearOp | undefined {
    const names = Object.keys(term.params);
    if (term.dist !== normal || names.length !== 2) return undefined;
    const locNode = term.params["loc"];
    const scale = term.params["scale"];
    if (locNode === undefined || scale === undefined || !this.nodes[scale]!.scalar) return undefined;
    const yNode = this.nodes[term.value]!;
    if (yNode.scalar || !this.isStatic[term.value]) return undefined;
    const y = this.staticValue(term.value);
    if (typeof y === "number" || !y.every(Number.isFinite)) return undefined;
    const n = y.length;
    const loc = this.affine(locNode, n);
    if (loc === undefined || !finite(loc.offset) || !loc.blocks.every((b) => finite(b.scale))) return undefined;

    const coords: number[] = [];
    const position = new Map<number, number>();
    let k = 0;
    let entries = 0;
    for (const block of loc.blocks) {
      if (!position.has(block.coord)) {
        coords.push(block.coord);
        position.set(block.coord, k);
        k += this.nodes[block.coord]!.size;
      }
      const touched = block.operator === undefined ? n : operatorEntries(block.operator);
      if (touched === undefined) return undefined;
      entries += touched;
    }
    if (k * k > entries) return undefined;

    const design = new AffineDesign(
      n,
      k,
      loc.blocks.map((b) => ({ ...b, position: position.get(b.coord)!, size: this.nodes[b.coord]!.size })),
    );
    const target = Float64Array.from(y, (v, i) => v - at(loc.offset, i));
    const statistics = gaussianLinearStatistics(design, target);
    if (statistics === undefined) return undefined;
    return { op: "gaussian_linear", coords, scale, count: n, ...statistics };
  }

  /** loc as an affine form of size n (or a scalar one, broadcast), or undefined when it is not one. */
  private affine(i: number, n: number): Affine | undefined {
    const node = this.nodes[i]!;
    if (!node.scalar && node.size !== n) return undefined;
    if (this.isStatic[i]) return { offset: this.staticValue(i), blocks: [] };
    if (node.scalar) return { offset: 0, blocks: [{ coord: i, scale: 1 }] };
    switch (node.op) {
      case "matvec": {
        const x = this.nodes[node.x]!;
        if (this.isStatic[node.x] || x.scalar || x.size !== node.operator.cols) return undefined;
        return { offset: 0, blocks: [{ coord: node.x, operator: node.operator, scale: 1 }] };
      }
      case "unary": {
        if (node.fn !== "neg") return undefined;
        const x = this.affine(node.x, n);
        return x && scaled(x, -1);
      }
      case "binary": {
        const { fn, a, b } = node;
        if (fn === "add" || fn === "sub") {
          const fa = this.affine(a, n);
          const fb = this.affine(b, n);
          if (fa === undefined || fb === undefined) return undefined;
          const sign = fn === "add" ? 1 : -1;
          const gb = scaled(fb, sign);
          return { offset: plus(fa.offset, gb.offset), blocks: [...fa.blocks, ...gb.blocks] };
        }
        if (fn === "mul") {
          if (this.isStatic[a] === this.isStatic[b]) return undefined;
          const [fixed, free] = this.isStatic[a] ? [a, b] : [b, a];
          const f = this.affine(free, n);
          return f && scaled(f, this.staticValue(fixed));
        }
        if (fn === "div" && this.isStatic[b]) {
          const f = this.affine(a, n);
          const d = this.staticValue(b);
          return f && scaled(f, typeof d === "number" ? 1 / d : d.map((v) => 1 / v));
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }
}

/**
 * The design Z (N × K) of an affine `loc`: block b fills the columns of its coordinate, starting
 * at `position`. Used at compile time only; allocates freely.
 */
class AffineDesign implements Design {
  constructor(
    readonly rows: number,
    readonly cols: number,
    private readonly blocks: readonly (Block & { readonly position: number; readonly size: number })[],
  ) {}

  apply(x: Float64Array, y: Float64Array): void {
    y.fill(0);
    const column = new Float64Array(this.rows);
    for (const b of this.blocks) {
      if (b.operator === undefined) {
        const v = x[b.position]!;
        for (let i = 0; i < this.rows; i++) y[i] += at(b.scale, i) * v;
      } else {
        b.operator.apply(x.slice(b.position, b.position + b.size), column);
        for (let i = 0; i < this.rows; i++) y[i] += at(b.scale, i) * column[i]!;
      }
    }
  }

  applyTranspose(x: Float64Array, y: Float64Array): void {
    y.fill(0);
    const weighted = new Float64Array(this.rows);
    for (const b of this.blocks) {
      for (let i = 0; i < this.rows; i++) weighted[i] = at(b.scale, i) * x[i]!;
      if (b.operator === undefined) {
        y[b.position] += weighted.reduce((s, v) => s + v, 0);
      } else {
        const part = new Float64Array(b.size);
        b.operator.applyTranspose(weighted, part);
        for (let j = 0; j < b.size; j++) y[b.position + j] += part[j]!;
      }
    }
  }
}

/** Entries an operator's product reads: its stored entries when it reports them, all for a dense one. */
function operatorEntries(operator: LinearOperator): number | undefined {
  const nnz = (operator as { readonly nnz?: unknown }).nnz;
  if (typeof nnz === "number") return nnz;
  return operator.kind === "dense" ? operator.rows * operator.cols : undefined;
}

function at(c: Coefficient, i: number): number {
  return typeof c === "number" ? c : c[i]!;
}

function finite(c: Coefficient): boolean {
  return typeof c === "number" ? Number.isFinite(c) : c.every(Number.isFinite);
}

function times(a: Coefficient, b: Coefficient): Coefficient {
  if (typeof a === "number" && typeof b === "number") return a * b;
  const n = typeof a === "number" ? (b as Float64Array).length : a.length;
  return Float64Array.from({ length: n }, (_, i) => at(a, i) * at(b, i));
}

function plus(a: Coefficient, b: Coefficient): Coefficient {
  if (typeof a === "number" && typeof b === "number") return a + b;
  const n = typeof a === "number" ? (b as Float64Array).length : a.length;
  return Float64Array.from({ length: n }, (_, i) => at(a, i) + at(b, i));
}

function scaled(f: Affine, s: Coefficient): Affine {
  return { offset: times(f.offset, s), blocks: f.blocks.map((b) => ({ ...b, scale: times(b.scale, s) })) };
}
