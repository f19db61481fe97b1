#!/usr/bin/env python3
"""Independent reference for casus-model's MAP fit.

Re-implements, from the model's documentation (crates/model/src/features.rs and posterior.rs), the
features and the log posterior of the theory-signed logistic model, maximises it with SciPy, and
saves the mode for the Rust test `map_matches_python_reference` (crates/model/tests/reference.rs).

Requirements: Python 3.9+, numpy, scipy (`pip install numpy scipy`).

Usage (from the repository root; re-runnable, output is deterministic):

    python3 scripts/reference/map_reference.py

It writes
  crates/model/tests/fixtures/reference_cases.json  synthetic cases (fixed seed; kept if present)
  crates/model/tests/fixtures/map_reference.json    the MAP of the soft-sign prior (tau_scale 1)
  crates/model/tests/fixtures/map_reference_hard.json  the MAP of the hard-sign prior
                                                    (tau_scale 0.5): theta, alpha, beta, mu, tau,
                                                    log posterior
  crates/model/tests/fixtures/map_reference_typed.json the MAP of the default prior: hard signs
                                                    with crisis-type intercepts (spread scale 0.5),
                                                    case i of the fixture typed as crisis type
                                                    i mod 6

Soft signs:  beta_k = s_k * mu + tau * z_k.
Hard signs:  beta_k = s_k * mu * exp(tau * z_k) where s_k != 0, and beta_k = z_k where s_k = 0.
Crisis-type intercepts: eta_i += sigma * u_t(i), u_t ~ Normal(0, 1), sigma ~ HalfNormal(0.5), with
theta extended by (u_1..u_6, log sigma).
"""
import json
import pathlib
import random

import numpy as np
from scipy.optimize import minimize

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIX = ROOT / "crates" / "model" / "tests" / "fixtures"
CASES = FIX / "reference_cases.json"
OUT = FIX / "map_reference.json"
OUT_HARD = FIX / "map_reference_hard.json"
OUT_TYPED = FIX / "map_reference_typed.json"
NT = 6

FACTORS = [
    "ally_incumbent", "contagion_risk", "reorientation", "rival_support", "membership_prospect",
    "strategic_assets", "compatriots", "protest_scale", "repression_failed", "security_defection",
    "armed_violence", "incumbent_in_control", "managed_transition", "expected_resistance",
    "mass_killings", "military_signals", "invitation", "military_capacity",
]
# docs/theory.md signs: + 1, weak + 0.5, - -1, direction 0; then the three structural terms.
SIGN = {
    "ally_incumbent": 0.0, "incumbent_in_control": -1.0, "managed_transition": -1.0,
    "expected_resistance": -1.0, "mass_killings": 0.5,
}
SIGNS = np.array([SIGN.get(f, 1.0) for f in FACTORS] + [1.0, 1.0, -1.0])
SOFT = {"intercept_sd": 2.0, "mu_scale": 1.0, "tau_scale": 1.0, "hard_signs": False}
HARD = {"intercept_sd": 2.0, "mu_scale": 1.0, "tau_scale": 0.5, "hard_signs": True}
TYPED = dict(HARD, type_intercept_scale=0.5)
NF = 21
DIM = NF + 3


def features(x):
    """The 21 centred features of one situation (dict factor -> value)."""
    v = [x[f] - 0.5 for f in FACTORS]
    a, c = x["ally_incumbent"], x["incumbent_in_control"]
    threat = (1 - c + x["repression_failed"] + x["security_defection"] + x["invitation"]) / 4
    stakes = (x["reorientation"] + x["rival_support"] + x["membership_prospect"] + x["strategic_assets"]) / 4
    v.append(a * threat - 0.25)
    v.append((1 - a * c) * stakes - 0.375)
    v.append(a * c - 0.25)
    return v


def make_cases(n=60, seed=7):
    """Synthetic cases on the 0/0.25/.../1 grid with outcomes from a theory-like logistic."""
    rng = random.Random(seed)
    cases = []
    for i in range(n):
        x = {f: rng.choice([0.0, 0.25, 0.5, 0.75, 1.0]) for f in FACTORS}
        f = np.array(features(x))
        eta = -0.3 + 0.8 * float(SIGNS @ f)
        p = 1 / (1 + np.exp(-eta))
        cases.append({"id": f"SYN-{i:03d}", "factors": x, "force": bool(rng.random() < float(p))})
    return cases


def coefficients(theta, priors):
    """beta and d beta / d z_k, d beta / d log mu, d beta / d log tau (elementwise)."""
    z, mu, tau = theta[1:NF + 1], np.exp(theta[NF + 1]), np.exp(theta[NF + 2])
    if not priors["hard_signs"]:
        beta = SIGNS * mu + tau * z
        return beta, np.full(NF, tau), SIGNS * mu, tau * z
    signed = SIGNS != 0
    beta = np.where(signed, SIGNS * mu * np.exp(tau * z), z)
    dz = np.where(signed, beta * tau, 1.0)
    dmu = np.where(signed, beta, 0.0)
    dtau = np.where(signed, beta * tau * z, 0.0)
    return beta, dz, dmu, dtau


def dim(priors):
    return DIM + (NT + 1 if priors.get("type_intercept_scale", 0) > 0 else 0)


def log_posterior(theta, F, y, priors, types=None):
    alpha, z, lmu, ltau = theta[0], theta[1:NF + 1], theta[NF + 1], theta[NF + 2]
    mu, tau = np.exp(lmu), np.exp(ltau)
    beta, dz, dmu, dtau = coefficients(theta, priors)
    typed = dim(priors) > DIM
    eta = alpha + F @ beta
    if typed:
        u, lsig = theta[DIM:DIM + NT], theta[DIM + NT]
        sig = np.exp(lsig)
        eta = eta + sig * u[types]
    ll = np.sum(y * eta - np.logaddexp(0.0, eta))
    lp = ll - alpha**2 / (2 * priors["intercept_sd"] ** 2) - np.sum(z**2) / 2
    lp += -mu**2 / (2 * priors["mu_scale"] ** 2) + lmu
    lp += -tau**2 / (2 * priors["tau_scale"] ** 2) + ltau
    # gradient
    r = y - 1 / (1 + np.exp(-eta))
    gbeta = F.T @ r
    g = np.empty(dim(priors))
    g[0] = r.sum() - alpha / priors["intercept_sd"] ** 2
    g[1:NF + 1] = dz * gbeta - z
    g[NF + 1] = dmu @ gbeta - mu**2 / priors["mu_scale"] ** 2 + 1
    g[NF + 2] = dtau @ gbeta - tau**2 / priors["tau_scale"] ** 2 + 1
    if typed:
        s2 = priors["type_intercept_scale"] ** 2
        lp += -np.sum(u**2) / 2 - sig**2 / (2 * s2) + lsig
        rt = np.bincount(types, weights=r, minlength=NT)
        g[DIM:DIM + NT] = sig * rt - u
        g[DIM + NT] = sig * (u @ rt) - sig**2 / s2 + 1
    return lp, g


def mode(F, y, priors, types=None):
    D = dim(priors)
    theta0 = np.zeros(D)
    theta0[NF + 1] = theta0[NF + 2] = np.log(0.5)
    f = lambda t: tuple(-v for v in log_posterior(t, F, y, priors, types))
    res = minimize(f, theta0, jac=True, method="BFGS", options={"gtol": 1e-11, "maxiter": 10000})
    # Polish with Newton steps on a finite-difference Hessian of the analytic gradient.
    theta = res.x
    for _ in range(20):
        _, g = log_posterior(theta, F, y, priors, types)
        if np.max(np.abs(g)) < 1e-11:
            break
        h = 1e-5
        H = np.empty((D, D))
        for j in range(D):
            e = np.zeros(D); e[j] = h
            H[:, j] = (log_posterior(theta + e, F, y, priors, types)[1] - log_posterior(theta - e, F, y, priors, types)[1]) / (2 * h)
        theta = theta - np.linalg.solve((H + H.T) / 2, g)
    return theta


def write(path, theta, F, y, priors, n, types=None):
    lp, g = log_posterior(theta, F, y, priors, types)
    mu, tau = np.exp(theta[NF + 1]), np.exp(theta[NF + 2])
    beta = coefficients(theta, priors)[0]
    out = {
        "source": "scripts/reference/map_reference.py (numpy %s, scipy BFGS + Newton polish)" % np.__version__,
        "priors": priors,
        "n_cases": n,
        "theta": theta.tolist(),
        "alpha": float(theta[0]),
        "beta": beta.tolist(),
        "mu": float(mu),
        "tau": float(tau),
        "log_posterior": float(lp),
        "max_abs_gradient": float(np.max(np.abs(g))),
    }
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"{path.name}: log posterior {lp:.6f}, max|grad| {np.max(np.abs(g)):.1e}, mu {mu:.4f}, tau {tau:.4f}")


def main():
    if CASES.exists():
        cases = json.loads(CASES.read_text())
    else:
        cases = make_cases()
        CASES.write_text(json.dumps(cases, indent=1) + "\n")
    F = np.array([features(c["factors"]) for c in cases])
    y = np.array([1.0 if c["force"] else 0.0 for c in cases])
    write(OUT, mode(F, y, SOFT), F, y, SOFT, len(cases))
    write(OUT_HARD, mode(F, y, HARD), F, y, HARD, len(cases))
    types = np.arange(len(cases)) % NT
    write(OUT_TYPED, mode(F, y, TYPED, types), F, y, TYPED, len(cases), types)


if __name__ == "__main__":
    main()
