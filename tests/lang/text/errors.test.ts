/**
 * Golden tests for the messages of the model language: syntax errors (all reported in one pass,
 * each with file:line:col, the source line and a caret) and semantic errors in the DESIGN.md
 * format. Each case asserts the whole first line of the message, so a change of wording, of
 * location or of the suggestion fails the test.
 */
import { describe, expect, it } from "vitest";
import { exampleFamilies } from "../../../examples/models/families.js";
import { ModelError, ModelSyntaxError } from "../../../src/core/errors.js";
import type { SignatureLookup } from "../../../src/core/family.js";
import { parseModel } from "../../../src/lang/text/index.js";
import { normal, Registry } from "../../../src/runtime/dists/index.js";

interface Golden {
  readonly name: string;
  readonly source: string;
  readonly kind: typeof ModelSyntaxError | typeof ModelError;
  /** The first line of the message, exactly. */
  readonly message: string;
  readonly data?: Record<string, unknown>;
  readonly families?: SignatureLookup;
}

const S = ModelSyntaxError;
const M = ModelError;

const GOLDEN: readonly Golden[] = [
  // ---------------------------------------------------------------- syntax
  {
    name: "missing ';' at the end of a line points after the line, not at the next one",
    source: "data {\n  int N\n  vector[N] y;\n}",
    kind: S,
    message:
      "m.sprig:2:8: syntax error: expected ';' — got 'vector'. Hint: a ';' is probably missing at the end of line 2.",
  },
  {
    name: "unexpected character",
    source: "data { int N; } # a comment\n",
    kind: S,
    message: "m.sprig:1:17: syntax error: unexpected character '#'. Hint: comments start with '//' or '/*'.",
  },
  {
    name: "misspelt block name",
    source: "data { int N; }\nparamaters { real mu; }",
    kind: S,
    message:
      "m.sprig:2:1: syntax error: expected a block (data, parameters, model, …) — got 'paramaters'. Hint: did you mean 'parameters'?",
  },
  {
    name: "unclosed block at the end of the text",
    source: "parameters { real mu; }\nmodel { mu ~ normal(0, 1);",
    kind: S,
    message: "m.sprig:2:27: syntax error: expected '}' — got the end of the text.",
  },
  {
    name: "misspelt type keyword",
    source: "data { int N; vectr[N] y; }",
    kind: S,
    message:
      "m.sprig:1:24: syntax error: expected ';' — got 'y'. Hint: 'vectr' is not a keyword; did you mean 'vector'?",
  },
  {
    name: "missing closing parenthesis",
    source: "parameters { real mu; } model { mu ~ normal(0, 1; }",
    kind: S,
    message: "m.sprig:1:49: syntax error: expected ')' — got ';'.",
  },
  {
    name: "'|' in the arguments of '~'",
    source: "parameters { real mu; } model { mu ~ normal(0 | 1); }",
    kind: S,
    message:
      "m.sprig:1:47: syntax error: '|' is not allowed in the arguments of a '~' statement — got '|', expected ','.",
  },
  {
    name: "number literal out of range",
    source: "parameters { real mu; } model { mu ~ normal(1e999, 1); }",
    kind: S,
    message:
      "m.sprig:1:45: syntax error: number literal out of range — got 1e999, expected a finite double (at most about 1.8e308).",
  },
  {
    name: "missing family name after '~'",
    source: "parameters { real mu; } model { mu ~ ; }",
    kind: S,
    message: "m.sprig:1:38: syntax error: expected a family name after '~' — got ';'.",
  },
  {
    name: "target takes '+='",
    source: "parameters { real mu; } model { target = mu; }",
    kind: S,
    message: "m.sprig:1:40: syntax error: expected '+=' — got '='.",
  },
  {
    name: "'|' after the second argument of a density call",
    source: "parameters { real mu; } model { target += normal_lpdf(mu, 0 | 1); }",
    kind: S,
    message:
      "m.sprig:1:61: syntax error: '|' may only follow the first argument of a density call, as in normal_lpdf(y | mu, sigma) — got '|', expected ','.",
  },
  // ---------------------------------------------------------------- names and families
  {
    name: "unknown family with a suggestion",
    source: "parameters { real<lower=0> tau; } model { tau ~ half_cuachy(5); }",
    kind: M,
    message: "m.sprig:1:49: tau ~ half_cuachy(): unknown family 'half_cuachy'. Hint: did you mean 'half_cauchy'?",
  },
  {
    name: "undeclared name with a suggestion",
    source: "data { int N; vector[N] y; } parameters { real mu; real<lower=0> sigma; } model { y ~ normal(mu, sigm); }",
    kind: M,
    message: "m.sprig:1:98: model block: unknown name 'sigm'. Hint: did you mean 'sigma'?",
  },
  {
    name: "name used before its declaration",
    source: "parameters { vector[K] b; } model { b ~ normal(0, 1); }\n",
    kind: M,
    message: "m.sprig:1:21: parameters block: unknown name 'K'.",
  },
  {
    name: "wrong argument name (Stan's name) with the registry's name suggested",
    source: "parameters { real mu; } model { mu ~ normal(loc=0, sigma=1); }",
    kind: M,
    message:
      "m.sprig:1:52: normal(): unknown argument 'sigma' — expected one of 'loc', 'scale'. Hint: did you mean 'scale'?",
  },
  {
    name: "missing argument",
    source: "parameters { real<lower=0> s; } model { s ~ gamma(2); }",
    kind: M,
    message:
      "m.sprig:1:45: gamma(): missing argument 'rate' — expected arguments 'shape', 'rate'. Hint: write gamma(shape=…, rate=…).",
  },
  {
    name: "too many arguments",
    source: "parameters { real mu; } model { mu ~ normal(0, 1, 2); }",
    kind: M,
    message: "m.sprig:1:51: normal(): too many arguments — got 3, expected at most 2 (loc, scale).",
  },
  {
    name: "unknown function with a suggestion",
    source: "parameters { real mu; } model { mu ~ normal(0, 1); target += expp(mu); }",
    kind: M,
    message: "m.sprig:1:62: expp(): unknown function 'expp'. Hint: did you mean 'exp'?",
  },
  {
    name: "user function called with the wrong number of arguments",
    source: "functions { real f(real x) { return x; } } parameters { real mu; } model { mu ~ normal(f(1, 2), 1); }",
    kind: M,
    message: "m.sprig:1:88: f(): takes 1 argument — got 2.",
  },
  {
    name: "duplicate declaration",
    source: "data { int N; real N; }",
    kind: M,
    message:
      "m.sprig:1:20: declaration of 'N': 'N' is already declared — got a second declaration (the first is at 1:12). Hint: rename one of them.",
  },
  {
    name: "local variable shadowing a parameter",
    source: "parameters { real mu; } model { real mu = 1; }",
    kind: M,
    message:
      "m.sprig:1:38: declaration of 'mu': 'mu' is already declared — got a second declaration (the first is at 1:19). Hint: rename one of them.",
  },
  {
    name: "unknown bound with a suggestion",
    source: "parameters { real<lowr=0> s; } model { s ~ normal(0, 1); }",
    kind: M,
    message:
      "m.sprig:1:19: parameter 's': unknown bound 'lowr' — expected 'lower', 'upper', 'positive' or 'unbounded'. Hint: did you mean 'lower'?",
  },
  // ---------------------------------------------------------------- supports: bool, <positive>, <unbounded>
  {
    name: "bounds on bool",
    source: "data { bool<lower=0> b; }",
    kind: M,
    message:
      "m.sprig:1:13: data 'b': 'bool' takes no bounds — got <lower>. Hint: a bool is 0 or 1; write int<lower=…, upper=…> for another integer range.",
  },
  {
    name: "positive on an int",
    source: "data { int<positive> n; }",
    kind: M,
    message:
      "m.sprig:1:12: data 'n': 'positive' is a real support — got int. Hint: write int<lower=1> for positive integers.",
  },
  {
    name: "positive with an upper bound",
    source: "data { real<positive, upper=1> s; }",
    kind: M,
    message:
      "m.sprig:1:13: data 's': 'positive' cannot be combined with 'upper'. Hint: there is no support (0, u]; write <lower=0, upper=…> (on a parameter the bounds are open anyway).",
  },
  {
    name: "positive with a lower bound",
    source: "data { real<lower=0, positive> s; }",
    kind: M,
    message:
      "m.sprig:1:22: data 's': 'positive' cannot be combined with 'lower'. Hint: <positive> is x > 0 and <lower=0> is x ≥ 0; keep one of them.",
  },
  {
    name: "a value for positive",
    source: "data { real<positive=1> s; }",
    kind: M,
    message:
      "m.sprig:1:13: data 's': 'positive' takes no value — got positive=…. Hint: write <positive> for x > 0, or <lower=0> for x ≥ 0.",
  },
  {
    name: "a bound without a value",
    source: "data { real<lower> s; }",
    kind: M,
    message:
      "m.sprig:1:13: data 's': bound 'lower' needs a value — expected lower=<number>. Hint: write <lower=0>, for example; <positive> is the strict x > 0.",
  },
  {
    name: "a strict flag on a bound",
    source: "data { real<lower=0, strict> s; }",
    kind: M,
    message:
      "m.sprig:1:22: data 's': unknown bound 'strict' — expected 'lower', 'upper', 'positive' or 'unbounded'. Hint: the one strict bound is <positive> (x > 0); every other bound includes its end point.",
  },
  {
    name: "a strict upper bound",
    source: "data { real<negative> x; }",
    kind: M,
    message:
      "m.sprig:1:13: data 'x': unknown bound 'negative' — expected 'lower', 'upper', 'positive' or 'unbounded'. Hint: there is no strict upper bound; write <upper=0> (x ≤ 0).",
  },
  {
    name: "unbounded with a bound",
    source: "parameters { real<unbounded, lower=0> s; } model { s ~ normal(0, 1); }",
    kind: M,
    message:
      "m.sprig:1:19: parameter 's': 'unbounded' cannot be combined with 'lower'. Hint: 'unbounded' stands alone; remove it or the other bound.",
  },
  {
    name: "positive given twice",
    source: "data { real<positive, positive> x; }",
    kind: M,
    message: "m.sprig:1:23: data 'x': bound 'positive' is given twice.",
  },
  {
    name: "empty bounds",
    source: "data { real<> x; }",
    kind: S,
    message: "m.sprig:1:13: syntax error: expected 'lower=', 'upper=', 'positive' or 'unbounded' — got '>'.",
  },
  {
    name: "bounds on a constrained type",
    source: "data { simplex<positive>[3] x; }",
    kind: S,
    message:
      "m.sprig:1:15: syntax error: expected '[' — got '<'. Hint: 'simplex' is its own support and takes no bounds.",
  },
  {
    name: "bool hyper-parameter",
    source: "hyper { bool b = 1; }",
    kind: M,
    message:
      "m.sprig:1:9: hyper 'b': type 'bool' is not allowed in the hyper block — expected real, vector, matrix, simplex, ordered, positive_ordered, cholesky_factor_corr. Hint: hyper-parameters are continuous; declare 0/1 values as data, or as a parameter with a discrete prior.",
  },
  {
    name: "bool transformed parameter",
    source: "parameters { real mu; } transformed parameters { bool b = 1; } model { mu ~ normal(0,1); }",
    kind: M,
    message:
      "m.sprig:1:50: transformed parameter 'b': type 'bool' is not allowed in the transformed parameters block — expected int, real, vector. Hint: declare 0/1 values as data or parameters; a computed 0/1 value is an int.",
  },
  {
    name: "simplex hyper-parameter without an initial value",
    source: "hyper { simplex[3] w; }",
    kind: M,
    message:
      "m.sprig:1:20: hyper 'w': a simplex hyper-parameter needs an initial value. Hint: no default lies inside every simplex; write one, e.g. simplex[3] w = [0.2, 0.3, 0.5];",
  },
  {
    name: "bool parameter with a continuous family",
    source: "parameters { bool z; } model { z ~ normal(0, 1); }",
    kind: M,
    message: "m.sprig:1:32: latent 'z': declared support does not suit the continuous family 'normal' — got boolean.",
  },
  {
    name: "embedded bool value outside {0, 1}",
    source: "data { array[2] bool b = [0, 3]; }",
    kind: M,
    message: "m.sprig:1:22: data 'b': embedded value is invalid at element 1 — got 3, expected 0 or 1.",
  },
  {
    name: "embedded 0 for positive data",
    source: "data { real<positive> s = 0; }",
    kind: M,
    message: "m.sprig:1:23: data 's': embedded value is invalid at element 0 — got 0, expected positive.",
  },
  // ---------------------------------------------------------------- structure
  {
    name: "blocks out of order",
    source: "model { } data { int N; }",
    kind: M,
    message:
      "m.sprig:1:11: block 'data': must come before 'model' — expected the order data, transformed data, hyper, parameters, transformed parameters, model, generated quantities.",
  },
  {
    name: "assignment to data",
    source: "data { int N; vector[N] y; } model { y = y + 1; }",
    kind: M,
    message:
      "m.sprig:1:38: assignment: cannot assign to 'y', which is data. Hint: data are fixed; compute a new variable in transformed data.",
  },
  {
    name: "while loops",
    source: "parameters { real mu; } model { mu ~ normal(0, 1); while (1) { } }",
    kind: M,
    message:
      "m.sprig:1:52: while: while loops are not supported: the model graph must be known when the model is built. Hint: use a for loop over a range known from data or constants.",
  },
  {
    name: "return outside a function",
    source: "model { return 1; }",
    kind: M,
    message: "m.sprig:1:9: return: only allowed inside a function.",
  },
  {
    name: "annotation on a '~' statement",
    source: 'parameters { real mu; } model { @group("x") mu ~ normal(0, 1); }',
    kind: M,
    message:
      "m.sprig:1:33: annotation '@group': annotations are allowed only on declarations in the hyper, parameters and transformed blocks, and on 'target +='.",
  },
  // ---------------------------------------------------------------- annotations
  {
    name: "annotation without parentheses",
    source: 'hyper {\n  @group "beta" real<lower=0> g = 1;\n}',
    kind: S,
    message:
      "m.sprig:2:10: syntax error: expected '(' — got '\"beta\"'. Hint: write an annotation as @name(value), e.g. @group(\"beta\") or @df(3).",
  },
  {
    name: "annotation without a name",
    source: 'transformed parameters {\n  @("value") real r = 1;\n}',
    kind: S,
    message:
      "m.sprig:2:4: syntax error: expected the annotation's name after '@' — got '('. Hint: write an annotation as @name(value), e.g. @group(\"beta\") or @df(3).",
  },
  {
    name: "annotation with two values",
    source: 'parameters {\n  @group("a", "b") real mu;\n}',
    kind: S,
    message:
      "m.sprig:2:13: syntax error: expected ')' — got ','. Hint: write an annotation as @name(value), e.g. @group(\"beta\") or @df(3).",
  },
  {
    name: "annotation value that is not a literal",
    source: "hyper { @scale(2 * 3) real<lower=0> g = 1; }",
    kind: M,
    message: "m.sprig:1:16: annotation '@scale': the value must be a string, a number, true or false.",
  },
  {
    name: "annotation key given twice",
    source: 'hyper { @role("precision") @role("scale") real<lower=0> g = 1; }',
    kind: M,
    message:
      "m.sprig:1:28: annotation '@role': is given twice — got a second value (the first is at 1:9). Hint: keep one of them.",
  },
  {
    name: "annotation on a data declaration",
    source: 'data { @group("x") int N; }',
    kind: M,
    message:
      "m.sprig:1:8: annotation '@group': annotations are allowed only on declarations in the hyper, parameters and transformed blocks, and on 'target +='.",
  },
  {
    name: "@part on a declaration",
    source: 'transformed parameters { @part("prior") real r = 1; }',
    kind: M,
    message: "m.sprig:1:26: annotation '@part': @part belongs on 'target +=' statements.",
  },
  {
    name: "an int transformed parameter computed from reals",
    source: "parameters { real mu; } transformed parameters { int k = mu; } model { mu ~ normal(0, 1); }",
    kind: M,
    message:
      "m.sprig:1:50: transformed parameters 'k': an int cannot hold a real value. Hint: declare it real, or compute it from integers only.",
  },
  {
    name: "generated quantities",
    source: "parameters { real mu; } model { mu ~ normal(0,1); } generated quantities { real x = mu; }",
    kind: M,
    message:
      "m.sprig:1:53: block 'generated quantities': is not supported: the model graph has no quantities computed after sampling. Hint: compute them from the draws, or declare them in 'transformed parameters'.",
  },
  // ---------------------------------------------------------------- distributions
  {
    name: "constraint violated by a constant argument",
    source: "parameters { real mu; } model { mu ~ normal(0, -1); }",
    kind: M,
    message: "m.sprig:1:48: normal(): parameter 'scale' must be positive — got -1.",
  },
  {
    name: "a second '~' on a parameter",
    source: "parameters { real mu; } model { mu ~ normal(0, 1); mu ~ cauchy(0, 1); }",
    kind: M,
    message:
      "m.sprig:1:52: 'mu' ~ cauchy(): 'mu' already has a distribution (line 1). Hint: each parameter takes one '~' statement; add further terms with target += ...",
  },
  {
    name: "data observed twice",
    source:
      "data { vector[3] y; } parameters { real mu; } model { mu ~ normal(0,1); y ~ normal(mu, 1); y ~ normal(mu, 2); }",
    kind: M,
    message:
      "m.sprig:1:92: 'y' ~ normal(): 'y' is already observed (line 1). Hint: each data variable takes one '~' statement; add further terms with target += ...",
  },
  {
    name: "a hyper-parameter given a distribution",
    source: "hyper { real<lower=0> g = 1; } model { g ~ exponential(1); }",
    kind: M,
    message:
      "m.sprig:1:40: 'g' ~ exponential(): 'g' is a hyper-parameter, which has no distribution (it is point-estimated). Hint: declare 'g' in the parameters block to give it a prior.",
  },
  {
    name: "a parameter without a distribution when 'flat' is not registered",
    source: "parameters { real mu; } model { }",
    kind: M,
    families: new Registry().register(normal),
    message:
      "m.sprig:1:19: parameter 'mu': has no distribution. Hint: give it one in the model block (mu ~ normal(0, 10);), or register the improper 'flat' family on the registry to get Stan's flat prior.",
  },
  {
    name: "a discrete family on real data",
    source:
      "data { int N; vector[N] y; } parameters { real<lower=0> l; } model { l ~ exponential(1); y ~ poisson(l); }",
    kind: M,
    message:
      "m.sprig:1:90: observe 'y': the discrete family 'poisson' needs integer data — got real vector[N], expected int data. Hint: declare 'y' as integer data.",
  },
  // ---------------------------------------------------------------- shapes
  {
    name: "operands of different sizes",
    source:
      "data { int N; int M; vector[N] a; vector[M] b; } parameters { real mu; } model { mu ~ normal(0, 1); target += sum(a + b); }",
    kind: M,
    message:
      "m.sprig:1:115: add: operands do not broadcast — got vector[N] and vector[M], expected equal shapes or one scalar. Hint: declare both with the same size name, or index/reduce one of them first.",
  },
  {
    name: "a family argument of the wrong size",
    source:
      "data { int N; int M; vector[N] y; vector[M] z; } parameters { real mu; } model { mu ~ normal(0,1); y ~ normal(z, 1); }",
    kind: M,
    message:
      "m.sprig:1:111: normal(): argument 'loc' has the wrong shape for 'y' — got vector[M], expected scalar or vector[N].",
  },
  {
    name: "vector times vector",
    source:
      "data { int N; vector[N] x; vector[N] y; } parameters { real mu; } model { mu ~ normal(0,1); y ~ normal(x * y, 1); }",
    kind: M,
    message:
      "m.sprig:1:106: '*': both operands are vectors — got vector[N] * vector[N]. Hint: use '.*' for the elementwise product, or dot_product(a, b) (a' * b) for the inner product.",
  },
  {
    name: "matrix data used elementwise",
    source:
      "data { int N; int K; matrix[N, K] X; vector[N] y; } parameters { vector[K] b; } model { b ~ normal(0,1); y ~ normal(X + 1, 1); }",
    kind: M,
    message:
      "m.sprig:1:117: matrix 'X': matrix data can only be used as the left side of a product with a vector — expected X * v.",
  },
  {
    name: "indexing a scalar",
    source: "parameters { real mu; } model { mu ~ normal(0, 1); target += mu[1]; }",
    kind: M,
    message: "m.sprig:1:62: indexing: cannot index a scalar — expected a vector.",
  },
  {
    name: "a size that is not integer data",
    source: "parameters { real mu; vector[mu] v; } model { }",
    kind: M,
    message:
      "m.sprig:1:30: parameter 'v': a size must be an integer literal or the name of integer data — got 'mu' (declared in parameters). Hint: declare the size as `int` in the data block.",
  },
  {
    name: "a data bound that depends on data not given",
    source: "data { real s; vector<lower=0, upper=s>[2] y; } model { }",
    kind: M,
    message:
      "m.sprig:1:38: data 'y': bound 'upper' must be a number known when the model is built — got an expression of parameters or of data not given. Hint: only a real parameter's bounds may be computed; pass the data to parseModel, or write the constraint as a transformed parameter.",
  },
  {
    name: "a computed bound on an integer parameter",
    source: "parameters { real a; int<lower=0, upper=a> k; } model { }",
    kind: M,
    message:
      "m.sprig:1:41: parameter 'k': bound 'upper' must be a number known when the model is built — got an expression of parameters or of data not given. Hint: only a real parameter's bounds may be computed; pass the data to parseModel, or write the constraint as a transformed parameter.",
  },
  {
    name: "a bound that reads a later parameter",
    source: "parameters { real<upper=b> a; real b; } model { }",
    kind: M,
    message:
      "m.sprig:1:25: parameters block: unknown name 'b'. Hint: 'b' is declared later, at 1:31; declare it before use.",
  },
  {
    name: "a vector bound of the wrong size",
    source: "parameters { vector[2] a; vector<lower=a>[3] b; } model { }",
    kind: M,
    message:
      "m.sprig:1:40: latent 'b', lower bound: the bound's shape does not match the latent's — got vector[2], expected a scalar or vector[3].",
  },
  // ---------------------------------------------------------------- lowering
  {
    name: "a condition on a parameter",
    source: "parameters { real mu; } model { mu ~ normal(0, 1); if (mu > 0) target += mu; }",
    kind: M,
    message:
      "m.sprig:1:56: expression: comparisons and logical operators need values known when the model is built — got an expression of the parameter 'mu'. Hint: conditions may use constants and data, not parameters; write a smooth term in target += instead (e.g. log_mix).",
  },
  {
    name: "a recurrence without the data to unroll it",
    source:
      "data { int T; vector[T] y; } parameters { real mu; } model { mu ~ normal(0,1); for (t in 2:T) target += normal_lpdf(y[t] | mu * y[t - 1], 1); }",
    kind: M,
    message:
      "m.sprig:1:80: for (t in ...): this loop cannot be vectorised, and its bounds are not known to unroll it — got a loop from 2 to 'T', whose length is known only with the data. Hint: pass the data to parseModel(text, registry, { data }) so the loop can be unrolled, or write it with whole vectors.",
  },
  {
    name: "an element read before it is assigned",
    source:
      "data { int N; vector[N] y; } parameters { real mu; } model { vector[N] m; mu ~ normal(0,1); m[1] = mu; y ~ normal(m, 1); }",
    kind: M,
    data: { N: 2, y: [1, 2] },
    message: "m.sprig:1:115: 'm': element 2 is used before it is assigned.",
  },
  // ---------------------------------------------------------------- data
  {
    name: "data missing",
    source: "data { int N; vector[N] y; } parameters { real mu; } model { y ~ normal(mu, 1); mu ~ normal(0,1); }",
    kind: M,
    data: { N: 3 },
    message:
      "m.sprig:1:25: data 'y': missing from the data — expected vector[N] reals. Hint: add 'y' to the data object.",
  },
  {
    name: "data of the wrong length",
    source: "data { int N; vector[N] y; } parameters { real mu; } model { y ~ normal(mu, 1); mu ~ normal(0,1); }",
    kind: M,
    data: { N: 3, y: [1, 2] },
    message: "m.sprig:1:25: data 'y': has the wrong length — got 2, expected 3 (vector[N]).",
  },
  {
    name: "non-integer values for integer data",
    source:
      "data { int N; array[N] int k; } parameters { real<lower=0> l; } model { l ~ exponential(1); k ~ poisson(l); }",
    kind: M,
    data: { N: 2, k: [1, 2.5] },
    message: "m.sprig:1:28: data 'k': must hold integers — got 2.5 at element 2.",
  },
];

function thrown(g: Golden): unknown {
  try {
    parseModel(g.source, g.families ?? exampleFamilies(), { file: "m.sprig", ...(g.data ? { data: g.data } : {}) });
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("golden error messages", () => {
  it("covers at least 25 distinct errors", () => {
    expect(new Set(GOLDEN.map((g) => g.message)).size).toBeGreaterThanOrEqual(25);
  });

  for (const g of GOLDEN) {
    it(g.name, () => {
      const e = thrown(g);
      expect(e).toBeInstanceOf(g.kind);
      if (g.kind === ModelError) expect(e).not.toBeInstanceOf(ModelSyntaxError);
      const message = (e as Error).message;
      expect(message.split("\n")[0]).toBe(g.message);
      // Every message shows the source line and a caret under the offending text.
      const [, source, caret] = message.split("\n");
      const span = (e as ModelError).span!;
      expect(source).toContain(g.source.split("\n")[span.line - 1]!.trim());
      expect(caret).toMatch(/^\s+\| +\^+$/);
      expect(caret!.indexOf("^") - caret!.indexOf("|") - 2).toBe(span.column - 1);
    });
  }
});

describe("all syntax errors in one pass", () => {
  it("reports every broken statement of a program, in source order, each with its excerpt", () => {
    const source = [
      "data {",
      "  int N",
      "  vector[N] y",
      "}",
      "parameters {",
      "  real mu",
      "}",
      "model {",
      "  y ~ normal(mu, 1)",
      "}",
    ].join("\n");
    const e = thrown({ name: "", source, kind: S, message: "" }) as ModelSyntaxError;
    expect(e).toBeInstanceOf(ModelSyntaxError);
    expect(e.diagnostics.map((d) => `${d.span!.line}:${d.span!.column} ${d.what}`)).toEqual([
      "2:8 expected ';'",
      "3:14 expected ';'",
      "6:10 expected ';'",
      "9:20 expected ';'",
    ]);
    expect(e.message.split("\n").filter((l) => l.startsWith("m.sprig:"))).toHaveLength(4);
    expect(e.message).toContain("    3 |   vector[N] y\n      |              ^");
  });

  it("collects lexer and parser errors together", () => {
    const e = thrown({
      name: "",
      source: "data { int N; $ }\nparameters { real mu }",
      kind: S,
      message: "",
    }) as ModelSyntaxError;
    expect(e.diagnostics.map((d) => d.what)).toEqual(["unexpected character '$'", "expected ';'"]);
  });
});
