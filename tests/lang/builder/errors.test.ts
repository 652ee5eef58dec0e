import { describe, expect, it } from "vitest";
import { exampleFamilies } from "../../../examples/models/families.js";
import { DomainError, ModelError, ShapeError } from "../../../src/core/errors.js";
import { GraphBuilder } from "../../../src/ir/index.js";
import {
  bernoulliLogit,
  dist,
  halfCauchy,
  type ModelContext,
  model,
  normal,
  type Vector,
} from "../../../src/lang/builder/index.js";

/**
 * Mistakes made while writing a model, caught when the model is built, each with its message in
 * the DESIGN.md format `<span>: <where>: <what> — got <value>, expected <constraint>. Hint: …`.
 * Spans point at the line of the model that made the mistake.
 */
const families = exampleFamilies();
const build = (body: (m: ModelContext) => void) => () => model("m", body, { families });
const SPAN = /^tests\/lang\/builder\/errors\.test\.ts:\d+:\d+: /;

function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("expected an error");
}

describe("DSL mistakes are reported where they are made", () => {
  it("1. unknown family argument name, with a suggestion", () => {
    const msg = messageOf(build(({ param }) => void param("mu", dist("normal", { loc: 0, scal: 1 }))));
    expect(msg).toMatch(SPAN);
    expect(msg.replace(SPAN, "")).toBe(
      "normal(): unknown argument 'scal' — got 'scal', expected one of 'loc', 'scale'. Hint: did you mean 'scale'?",
    );
  });

  it("2. negative scale constant", () => {
    const f = build(({ param }) => void param("mu", normal({ loc: 0, scale: -1 })));
    expect(f).toThrow(DomainError);
    expect(messageOf(f).replace(SPAN, "")).toBe("normal(): parameter 'scale' must be positive — got -1.");
  });

  it("3. shape mismatch in matvec", () => {
    const msg = messageOf(
      build(({ data, param }) => {
        const X = data.matrix("X", data.int("N"), data.int("D"));
        const beta = param("beta", normal({ loc: 0, scale: 1 }), { size: data.int("K") });
        X.matvec(beta);
      }),
    );
    expect(msg.replace(SPAN, "")).toBe(
      "matvec: inner sizes of 'X' and the vector differ — got matrix[N, D] times vector[K], expected a vector[D].",
    );
  });

  it("4. unknown family, with a suggestion", () => {
    const msg = messageOf(build(({ param }) => void param("tau", dist("half_cauchi", { scale: 5 }))));
    expect(msg.replace(SPAN, "")).toBe(
      "'tau' ~ half_cauchi(): unknown distribution family 'half_cauchi'. Hint: did you mean 'half_cauchy'?",
    );
  });

  it("5. duplicate name", () => {
    const msg = messageOf(
      build(({ param }) => {
        param("mu", normal({ loc: 0, scale: 1 }));
        param("mu", normal({ loc: 0, scale: 2 }));
      }),
    );
    expect(msg).toMatch(
      /^tests\/lang\/builder\/errors\.test\.ts:\d+:\d+: model 'm': duplicate name 'mu' — got a second declaration \(the first is a latent at \d+:\d+\), expected unique names\. Hint: rename one of them\.$/,
    );
  });

  it("6. rank mismatch between an argument and the observed value", () => {
    const msg = messageOf(
      build(({ data, param, observe }) => {
        const y = data.real("y");
        const theta = param("theta", normal({ loc: 0, scale: 1 }), { size: 3 });
        observe(y, normal({ loc: theta, scale: 1 }));
      }),
    );
    expect(msg.replace(SPAN, "")).toBe(
      "normal(): argument 'loc' has the wrong shape for 'y' — got vector[3], expected scalar.",
    );
  });

  it("7. elementwise operands of different sizes", () => {
    const f = build(({ data }) => {
      const a = data.vector("a", data.int("N"));
      const b = data.vector("b", data.int("J"));
      a.add(b);
    });
    expect(f).toThrow(ShapeError);
    expect(messageOf(f).replace(SPAN, "")).toBe(
      "add: operands do not broadcast — got vector[N] and vector[J], expected equal shapes or one scalar. Hint: declare both with the same size name, or index/reduce one of them first.",
    );
  });

  it("8. observing something that is not data", () => {
    const msg = messageOf(
      build(({ param, observe }) => {
        const mu = param("mu", normal({ loc: 0, scale: 1 }));
        observe(mu, normal({ loc: 0, scale: 1 }));
      }),
    );
    expect(msg.replace(SPAN, "")).toBe(
      "observe(): 'mu' is not data — got 'mu', expected a value from data.vector(), data.real(), data.ints()…. Hint: to add an arbitrary log-density term, use factor().",
    );
  });

  it("9. observing the same data twice", () => {
    const msg = messageOf(
      build(({ data, observe }) => {
        const y = data.vector("y", 3);
        observe(y, normal({ loc: 0, scale: 1 }));
        observe(y, normal({ loc: 1, scale: 1 }));
      }),
    );
    expect(msg.replace(SPAN, "")).toBe(
      "observe 'y': data is already observed. Hint: each data node takes one distribution statement; add terms with a factor instead.",
    );
  });

  it("10. a discrete family observing real data", () => {
    const msg = messageOf(build(({ data, observe }) => observe(data.vector("y", 3), bernoulliLogit({ logit: 0 }))));
    expect(msg.replace(SPAN, "")).toBe(
      "observe 'y': the discrete family 'bernoulli_logit' needs integer data — got real vector[3], expected int data. Hint: declare 'y' as integer data.",
    );
  });

  it("11. a missing family argument", () => {
    const msg = messageOf(build(({ param }) => void param("mu", dist("normal", { loc: 0 }))));
    expect(msg.replace(SPAN, "")).toBe(
      "normal(): missing argument 'scale' — expected arguments 'loc', 'scale'. Hint: write normal(loc=…, scale=…).",
    );
  });

  it("12. a reserved word as a name", () => {
    const msg = messageOf(build(({ param }) => void param("target", normal({ loc: 0, scale: 1 }))));
    expect(msg.replace(SPAN, "")).toBe(
      "node name: 'target' is a reserved word of the model language. Hint: choose another name, e.g. 'target_'.",
    );
  });

  it("13. a constant index out of range", () => {
    const msg = messageOf(build(({ param }) => void param("beta", normal({ loc: 0, scale: 1 }), { size: 3 }).at(3)));
    expect(msg.replace(SPAN, "")).toBe(
      "index: position out of range — got 3, expected an integer in [0, 2] (0-based).",
    );
  });

  it("14. an initial hyper-parameter value outside its support", () => {
    const msg = messageOf(build(({ hyper }) => void hyper("g", { init: -1, lower: 0 })));
    expect(msg.replace(SPAN, "")).toBe(
      "initial value of hyper 'g': value is outside the declared support — got -1, expected a value ≥ 0.",
    );
  });

  it("15. gathering with a real-valued index", () => {
    const msg = messageOf(
      build(({ data, param }) => {
        const alpha = param("alpha", normal({ loc: 0, scale: 1 }), { size: 3 });
        alpha.gather(data.vector("x", 5) as never);
      }),
    );
    expect(msg.replace(SPAN, "")).toBe(
      "gather: the index must be integer data — expected a value from data.index() or data.ints().",
    );
  });

  it("16. a size that is not integer data", () => {
    const msg = messageOf(build(({ data }) => void data.vector("y", data.real("n") as never)));
    expect(msg.replace(SPAN, "")).toBe(
      "size: a size must be a number or integer data — got a scalar expression, expected a number or data.int(...).",
    );
  });

  it("17. a bound that is not a number", () => {
    const msg = messageOf(build(({ param }) => void param("s", normal({ loc: 0, scale: 1 }), { lower: Number.NaN })));
    expect(msg.replace(SPAN, "")).toBe("latent 's': declared bounds must not be NaN — got lower(NaN).");
  });

  it("18. using a value that belongs to another model", () => {
    let foreign: Vector | undefined;
    model(
      "other",
      ({ param }) => {
        foreign = param("z", halfCauchy({ scale: 1 }), { size: 2 });
      },
      { families },
    );
    const msg = messageOf(build(({ factor }) => factor(foreign!.sum())));
    expect(msg).toMatch(/factor 'factor_1': unknown name 'z'\. Hint: no names are defined yet\.$/);
  });

  it("19. no family registry", () => {
    const msg = messageOf(() => model("m", () => {}, undefined as never));
    expect(msg.replace(SPAN, "")).toBe(
      "model 'm': no family registry given. Hint: pass { families: createDefaultRegistry() } as the third argument.",
    );
  });
});

describe("IR builder mistakes", () => {
  it("20. a reference to an undefined name, with a suggestion", () => {
    const b = new GraphBuilder("m", families);
    b.data({ name: "sigma", shape: [] });
    expect(() => b.ref("sigm")).toThrow(ModelError);
    expect(() => b.ref("sigm")).toThrow("model 'm': unknown name 'sigm'. Hint: did you mean 'sigma'?");
  });

  it("21. matrix data used elementwise", () => {
    const b = new GraphBuilder("m", families);
    b.data({ name: "X", shape: [2, 2] });
    const X = b.ref("X");
    expect(() =>
      b.deterministic({
        name: "bad",
        expr: { kind: "binary", op: "add", left: X, right: X, shape: [2, 2], dtype: "real" },
      }),
    ).toThrow(
      "deterministic 'bad': matrix data 'X' can only be used in a matrix-vector product — got an elementwise use, expected matvec(X, x).",
    );
  });

  it("22. a symbolic size that is not declared", () => {
    const b = new GraphBuilder("m", families);
    b.data({ name: "N", shape: [], dtype: "int" });
    expect(() => b.data({ name: "y", shape: ["M"] })).toThrow(
      "data 'y': size 'M' is not integer scalar data — got an unknown name, expected a name declared earlier as `int` data. Hint: did you mean 'N'?",
    );
  });
});
