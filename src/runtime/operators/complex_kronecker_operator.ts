/**
 * The Kronecker product of dense complex matrices as a {@link ComplexLinearOperator}, never formed.
 *
 * @module
 */
import { ShapeError } from "../../core/errors.js";
import { zkronmv, zkronWorkSize } from "../../kernels/kronecker.js";
import type { ComplexLinearOperator } from "../linear_operator.js";
import { ComplexDenseOperator } from "./complex_dense_operator.js";
import { checkLength, kronVectorInto, type NestedRows } from "./validate.js";

/**
 * A complex factor given by its real and imaginary parts (nested rows; `im` defaults to 0).
 *
 * @example
 * ```ts
 * const F: ComplexParts = { re: [[1, 0], [0, 0]], im: [[0, 0], [0, 1]] }; // diag(1, i)
 * ```
 */
export interface ComplexParts {
  /** Real part. */
  readonly re: NestedRows;
  /** Imaginary part. */
  readonly im?: NestedRows;
}

/**
 * (A₁ ⊗ … ⊗ A_K)·x for dense complex factors through `zkronmv`, storing only the factors and
 * work vectors (O(Σ factor sizes + vector length) memory). Same index convention as the real
 * `KroneckerOperator` (last factor fastest, as numpy.kron); vectors are interleaved (re, im).
 * Typical use: separable multi-dimensional Fourier or steering-vector dictionaries.
 *
 * @example
 * ```ts
 * const F = ComplexDenseOperator.fromParts([[1, 1], [1, -1]]); // 2-point DFT
 * const K = new ComplexKroneckerOperator([F, F]); // 2-D DFT of a 2 × 2 grid
 * const y = new Float64Array(8);
 * K.apply(Float64Array.of(1, 0, 0, 0, 0, 0, 0, 0), y); // y = all ones (real)
 * ```
 */
export class ComplexKroneckerOperator implements ComplexLinearOperator {
  /** Π rows of the factors. */
  readonly rows: number;
  /** Π cols of the factors. */
  readonly cols: number;
  /** Always `'complex_kronecker'`. */
  readonly kind = "complex_kronecker";
  private readonly ops: readonly ComplexDenseOperator[];
  private readonly rowDims: Int32Array;
  private readonly colDims: Int32Array;
  private readonly data: readonly Float64Array[];
  private readonly work: Float64Array;
  private readonly factorGrams: readonly Float64Array[];

  /**
   * @param factors one or more dense complex factors, outermost first
   * @throws ShapeError for an empty list or a factor that is not a complex dense matrix.
   * @example
   * ```ts
   * new ComplexKroneckerOperator([{ re: [[1, 0], [0, 1]] }, F]);
   * ```
   */
  constructor(factors: readonly (ComplexDenseOperator | ComplexParts)[]) {
    if (!Array.isArray(factors) || factors.length === 0) {
      throw new ShapeError({
        where: "ComplexKroneckerOperator",
        what: "needs at least one factor",
        got: Array.isArray(factors) ? "0 factors" : String(factors),
        expected: "an array of ComplexDenseOperator or { re, im } factors",
      });
    }
    this.ops = factors.map((f, k) => {
      if (f instanceof ComplexDenseOperator) return f;
      if (typeof f === "object" && f !== null && Array.isArray((f as ComplexParts).re)) {
        return ComplexDenseOperator.fromParts(f.re, f.im);
      }
      throw new ShapeError({
        where: `ComplexKroneckerOperator factor ${k}`,
        what: "not a complex dense matrix",
        got: String(f),
        expected: "a ComplexDenseOperator or { re: number[][], im?: number[][] }",
      });
    });
    const K = this.ops.length;
    this.rowDims = Int32Array.from(this.ops, (op) => op.rows);
    this.colDims = Int32Array.from(this.ops, (op) => op.cols);
    this.rows = this.rowDims.reduce((a, b) => a * b, 1);
    this.cols = this.colDims.reduce((a, b) => a * b, 1);
    this.data = this.ops.map((op) => op.toDense());
    this.work = new Float64Array(zkronWorkSize(K, this.rowDims, this.colDims));
    this.factorGrams = this.ops.map((op) => {
      const g = new Float64Array(op.cols);
      op.diagGram(g);
      return g;
    });
  }

  /**
   * The factors as operators.
   *
   * @example
   * ```ts
   * K.factors.length; // 2
   * ```
   */
  get factors(): readonly ComplexDenseOperator[] {
    return this.ops;
  }

  /**
   * y = (A₁ ⊗ … ⊗ A_K)·x (interleaved; x and y must not overlap).
   *
   * @example
   * ```ts
   * K.apply(x, y);
   * ```
   */
  apply(x: Float64Array, y: Float64Array): void {
    checkLength("ComplexKroneckerOperator.apply", "x", x, 2 * this.cols, "2 · the product of the column counts");
    checkLength("ComplexKroneckerOperator.apply", "y", y, 2 * this.rows, "2 · the product of the row counts");
    zkronmv("N", this.ops.length, this.rowDims, this.colDims, this.data, x, y, this.work);
  }

  /**
   * y = (A₁ ⊗ … ⊗ A_K)ᴴ·x = (A₁ᴴ ⊗ … ⊗ A_Kᴴ)·x.
   *
   * @example
   * ```ts
   * K.applyAdjoint(r, g);
   * ```
   */
  applyAdjoint(x: Float64Array, y: Float64Array): void {
    checkLength("ComplexKroneckerOperator.applyAdjoint", "x", x, 2 * this.rows, "2 · the product of the row counts");
    checkLength("ComplexKroneckerOperator.applyAdjoint", "y", y, 2 * this.cols, "2 · the product of the column counts");
    zkronmv("C", this.ops.length, this.rowDims, this.colDims, this.data, x, y, this.work);
  }

  /**
   * out = the Kronecker product of the factors' diagGrams (real, cols entries).
   *
   * @example
   * ```ts
   * const g = new Float64Array(K.cols);
   * K.diagGram(g);
   * ```
   */
  diagGram(out: Float64Array): void {
    checkLength("ComplexKroneckerOperator.diagGram", "out", out, this.cols, "the number of columns");
    kronVectorInto(out, this.factorGrams);
  }

  /**
   * The explicitly formed product, interleaved row-major (for tests and small problems).
   *
   * @example
   * ```ts
   * K.toDense().length; // 2 · rows · cols
   * ```
   */
  toDense(): Float64Array {
    let acc = Float64Array.of(1, 0);
    let accRows = 1;
    let accCols = 1;
    for (let k = 0; k < this.ops.length; k++) {
      const f = this.data[k];
      const r = this.rowDims[k];
      const c = this.colDims[k];
      const nextCols = accCols * c;
      const next = new Float64Array(2 * accRows * r * nextCols);
      for (let i1 = 0; i1 < accRows; i1++) {
        for (let j1 = 0; j1 < accCols; j1++) {
          const ar = acc[2 * (i1 * accCols + j1)];
          const ai = acc[2 * (i1 * accCols + j1) + 1];
          for (let i2 = 0; i2 < r; i2++) {
            const row = (i1 * r + i2) * nextCols + j1 * c;
            for (let j2 = 0; j2 < c; j2++) {
              const br = f[2 * (i2 * c + j2)];
              const bi = f[2 * (i2 * c + j2) + 1];
              next[2 * (row + j2)] = ar * br - ai * bi;
              next[2 * (row + j2) + 1] = ar * bi + ai * br;
            }
          }
        }
      }
      acc = next;
      accRows *= r;
      accCols = nextCols;
    }
    return acc;
  }
}
