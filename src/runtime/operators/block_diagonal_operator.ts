/**
 * A block-diagonal matrix diag(B₁, …, B_m) as a {@link LinearOperator}.
 *
 * @module
 */
import { ShapeError } from "../../core/errors.js";
import type { LinearOperator } from "../linear_operator.js";
import { asLinearOperator, type OperatorLike } from "./as_linear_operator.js";
import { checkLength } from "./validate.js";

/**
 * diag(B₁, …, B_m): block b maps columns [c_b, c_b + cols_b) to rows [r_b, r_b + rows_b).
 * Blocks may be rectangular and of any operator kind; each product runs block by block on
 * preallocated slices, so independent groups (one per subject, sensor or time window) share one
 * operator without ever forming the zeros.
 *
 * @example
 * ```ts
 * const B = new BlockDiagonalOperator([[[1, 2]], new DiagonalOperator([3, 4])]); // 3 × 4
 * const y = new Float64Array(3);
 * B.apply(Float64Array.of(1, 1, 1, 1), y); // y = [3, 3, 4]
 * ```
 */
export class BlockDiagonalOperator implements LinearOperator {
  /** Σ rows of the blocks. */
  readonly rows: number;
  /** Σ cols of the blocks. */
  readonly cols: number;
  /** Always `'block_diagonal'`. */
  readonly kind = "block_diagonal";
  private readonly ops: readonly LinearOperator[];
  private readonly rowStart: Int32Array;
  private readonly colStart: Int32Array;
  /** Per-block slices of the input and output, exact lengths so any block operator accepts them. */
  private readonly rowSlices: readonly Float64Array[];
  private readonly colSlices: readonly Float64Array[];

  /**
   * @param blocks one or more operators or dense matrices (nested rows), top-left first
   * @throws ShapeError for an empty block list or a block that is not a matrix.
   * @example
   * ```ts
   * new BlockDiagonalOperator([A, B, C]);
   * ```
   */
  constructor(blocks: readonly OperatorLike[]) {
    if (!Array.isArray(blocks) || blocks.length === 0) {
      throw new ShapeError({
        where: "BlockDiagonalOperator",
        what: "needs at least one block",
        got: Array.isArray(blocks) ? "0 blocks" : String(blocks),
        expected: "an array of operators or dense matrices",
      });
    }
    this.ops = blocks.map((b, i) => asLinearOperator(b, undefined, `BlockDiagonalOperator block ${i}`));
    const m = this.ops.length;
    this.rowStart = new Int32Array(m + 1);
    this.colStart = new Int32Array(m + 1);
    for (let b = 0; b < m; b++) {
      this.rowStart[b + 1] = this.rowStart[b] + this.ops[b].rows;
      this.colStart[b + 1] = this.colStart[b] + this.ops[b].cols;
    }
    this.rows = this.rowStart[m];
    this.cols = this.colStart[m];
    this.rowSlices = this.ops.map((op) => new Float64Array(op.rows));
    this.colSlices = this.ops.map((op) => new Float64Array(op.cols));
  }

  /**
   * The blocks as operators (dense inputs wrapped as `DenseOperator`).
   *
   * @example
   * ```ts
   * B.blocks.length; // 2
   * ```
   */
  get blocks(): readonly LinearOperator[] {
    return this.ops;
  }

  /**
   * y = alpha·A·x + beta·y (beta = 0 ignores y). x and y must not overlap.
   *
   * @example
   * ```ts
   * B.apply(x, y);
   * ```
   */
  apply(x: Float64Array, y: Float64Array, alpha = 1, beta = 0): void {
    checkLength("BlockDiagonalOperator.apply", "x", x, this.cols, "the total number of block columns");
    checkLength("BlockDiagonalOperator.apply", "y", y, this.rows, "the total number of block rows");
    this.product(false, x, y, alpha, beta);
  }

  /**
   * y = alpha·Aᵀ·x + beta·y; Aᵀ = diag(B₁ᵀ, …, B_mᵀ).
   *
   * @example
   * ```ts
   * B.applyTranspose(r, g);
   * ```
   */
  applyTranspose(x: Float64Array, y: Float64Array, alpha = 1, beta = 0): void {
    checkLength("BlockDiagonalOperator.applyTranspose", "x", x, this.rows, "the total number of block rows");
    checkLength("BlockDiagonalOperator.applyTranspose", "y", y, this.cols, "the total number of block columns");
    this.product(true, x, y, alpha, beta);
  }

  /**
   * out = the blocks' diagGrams, concatenated.
   *
   * @example
   * ```ts
   * const g = new Float64Array(B.cols);
   * B.diagGram(g);
   * ```
   */
  diagGram(out: Float64Array): void {
    checkLength("BlockDiagonalOperator.diagGram", "out", out, this.cols, "the total number of block columns");
    for (let b = 0; b < this.ops.length; b++) {
      const slice = this.colSlices[b];
      this.ops[b].diagGram(slice);
      out.set(slice, this.colStart[b]);
    }
  }

  /**
   * The dense rows × cols matrix, zeros outside the blocks.
   *
   * @example
   * ```ts
   * new BlockDiagonalOperator([[[1]], [[2]]]).toDense(); // [1, 0, 0, 2]
   * ```
   */
  toDense(): Float64Array {
    const out = new Float64Array(this.rows * this.cols);
    for (let b = 0; b < this.ops.length; b++) {
      const op = this.ops[b];
      const block = op.toDense();
      for (let i = 0; i < op.rows; i++) {
        const row = (this.rowStart[b] + i) * this.cols + this.colStart[b];
        out.set(block.subarray(i * op.cols, (i + 1) * op.cols), row);
      }
    }
    return out;
  }

  private product(transposed: boolean, x: Float64Array, y: Float64Array, alpha: number, beta: number): void {
    const inStart = transposed ? this.rowStart : this.colStart;
    const outStart = transposed ? this.colStart : this.rowStart;
    const inSlices = transposed ? this.rowSlices : this.colSlices;
    const outSlices = transposed ? this.colSlices : this.rowSlices;
    for (let b = 0; b < this.ops.length; b++) {
      const xin = inSlices[b];
      const yout = outSlices[b];
      const i0 = inStart[b];
      const o0 = outStart[b];
      // Copy loops rather than subarray views: views would allocate on every call.
      for (let j = 0; j < xin.length; j++) xin[j] = x[i0 + j];
      if (beta !== 0) for (let i = 0; i < yout.length; i++) yout[i] = y[o0 + i];
      if (transposed) this.ops[b].applyTranspose(xin, yout, alpha, beta);
      else this.ops[b].apply(xin, yout, alpha, beta);
      for (let i = 0; i < yout.length; i++) y[o0 + i] = yout[i];
    }
  }
}
