import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ShapeError } from "../../../src/core/errors.js";
import type { LinearOperator } from "../../../src/runtime/linear_operator.js";
import { BlockDiagonalOperator } from "../../../src/runtime/operators/block_diagonal_operator.js";
import { CsrOperator } from "../../../src/runtime/operators/csr_operator.js";
import { DenseOperator } from "../../../src/runtime/operators/dense_operator.js";
import { DiagonalOperator } from "../../../src/runtime/operators/diagonal_operator.js";
import { checkOperator, mulberry32, randomMatrix, toRows } from "./helpers.js";

describe("BlockDiagonalOperator", () => {
  it("matches the explicitly assembled block matrix for mixed block kinds", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 3 })),
          {
            minLength: 1,
            maxLength: 5,
          },
        ),
        fc.nat(),
        (shapes, seed) => {
          const rand = mulberry32(seed);
          const blocks: (LinearOperator | number[][])[] = [];
          const dense: Float64Array[] = [];
          for (const [r0, c0, kind] of shapes) {
            // kind: 0 dense operator, 1 nested rows, 2 CSR, 3 diagonal (square).
            const r = r0;
            const c = kind === 3 ? r0 : c0;
            const a = kind === 3 ? new Float64Array(r * r) : randomMatrix(rand, r, c, kind === 2 ? 0.4 : 1);
            if (kind === 3) for (let i = 0; i < r; i++) a[i * r + i] = 2 * rand() - 1;
            dense.push(a);
            if (kind === 0) blocks.push(new DenseOperator(a, r, c));
            else if (kind === 1) blocks.push(toRows(a, r, c));
            else if (kind === 2) blocks.push(CsrOperator.fromDense(a, r, c));
            else blocks.push(new DiagonalOperator(Array.from({ length: r }, (_, i) => a[i * r + i])));
          }
          const B = new BlockDiagonalOperator(blocks);
          const rows = B.rows;
          const cols = B.cols;
          const full = new Float64Array(rows * cols);
          let r0 = 0;
          let c0 = 0;
          for (let b = 0; b < dense.length; b++) {
            const op = B.blocks[b];
            for (let i = 0; i < op.rows; i++) {
              for (let j = 0; j < op.cols; j++) full[(r0 + i) * cols + c0 + j] = dense[b][i * op.cols + j];
            }
            r0 += op.rows;
            c0 += op.cols;
          }
          checkOperator(B, full, seed + 1);
        },
      ),
      { numRuns: 60, seed: 20240705 },
    );
  });

  it("computes a small example by hand", () => {
    const B = new BlockDiagonalOperator([[[1, 2]], new DiagonalOperator([3, 4])]);
    expect([B.rows, B.cols, B.kind]).toEqual([3, 4, "block_diagonal"]);
    const y = new Float64Array(3);
    B.apply(Float64Array.of(1, 1, 1, 1), y);
    expect(Array.from(y)).toEqual([3, 3, 4]);
  });

  it("rejects an empty block list and non-matrices", () => {
    expect(() => new BlockDiagonalOperator([])).toThrow(ShapeError);
    expect(() => new BlockDiagonalOperator([{} as LinearOperator])).toThrow(
      /BlockDiagonalOperator block 0: cannot use this value as a linear operator/,
    );
  });
});
