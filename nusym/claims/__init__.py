"""The claim checker (`nusym check`): is "LHS rel RHS" true over a model's physical domain?

A claim is a formula with one relation (==, <, <=, >, >=), read by :mod:`nusym.claims.grammar`: numbers,
the names below, + - * / **, parentheses and calls of the functions below; nothing else, and
nothing is ever evaluated as Python.  Vocabulary (all positive reals in eV, hbar = c = 1, unless said):

  symbols    T (energy transfer), q (momentum transfer), p (bound-electron momentum), I (ionization
             potential), Z (positive integer), E_nu, M_a (atomic mass), omega (oscillator quantum),
             mu_nu (magnetic moment in natural units, 1/eV, as in the papers' formulas: write a moment of k Bohr
             magnetons as k*mu_B), s2w (sin^2 theta_W, dimensionless);
  constants  m_e, alpha, G_F (1/eV^2), E_h (= alpha**2 m_e), mu_B (= sqrt(alpha)/(2 m_e), the Bohr magneton with
             e**2 = alpha, the papers' Gaussian convention), at their CODATA 2022 values; pi, E, oo;
  functions  S(T, q) (the model's dynamical structure factor per atom, 1/eV), R(T, q) (its transverse
             current response, the binding paper's Eq. 10, velocities in units of c, 1/eV; defined by the
             free, oscillator and hydrogen models), q_plus(T, p),
             q_minus(T, p), q_a(T, I, M_a) (sqrt(2 M_a (T - I)), 0 for T <= I), dsigma_w_FE(T),
             dsigma_mu_FE(T) (the free-electron cross sections: G_F**2 m_e/(2 pi) (1 + 4 s2w + 8 s2w**2) and
             4 pi alpha mu_nu**2/T);
  and from SymPy: sqrt exp log (natural) sin cos tan asin acos atan atan2 sinh cosh tanh Abs sign Heaviside erf
             besselj Min Max, Rational(p, q), Integral(f, (x, a, b)), Derivative(f, x[, n]), Limit(f, x, a).
Integrals over q**2 are written in q: dq**2 = 2 q dq.  Decimals are exact: 0.1 is 1/10.

A check runs in a worker process under a time budget (``timeout``, ``--timeout``, default 60 s); when
it runs out, or when SymPy or mpmath cannot evaluate the claim, the verdict is inconclusive with the
reason.  Bad usage (a claim outside the grammar, an unknown model, an option out of range) raises
:class:`ClaimError`: exit status 2 on the command line.

Method: a symbolic proof is tried first (SymPy, under the assumptions); then the claim is
evaluated at sampled points of the domain, at two working precisions, the difference of the
two being the numerical error.  A point refutes the claim only when its deviation exceeds that
error by a wide margin; a claim holds only when no sampled point does.  Points are drawn
log-uniformly over each variable's physical range and at the edges: range ends, the thresholds
and lines of the model, and both sides of every assumption's boundary.  The points are judged
by one process per core (``workers``); the verdict is the same with any number.

Inside a discrete spectrum S(T, q) at fixed T means the line-averaged density at the line
energies (see :mod:`nusym.atoms.spectra`), and T is sampled at the line energies.  A free-electron S is
a delta function: it must appear under an integral over q or T.

The package, in the order a check runs: :mod:`~nusym.claims.grammar` and :mod:`~nusym.claims.vocabulary` (reading),
:mod:`~nusym.claims.setup` (parsing, the proof attempt of :mod:`~nusym.claims.symbolic`, compiling by
:mod:`~nusym.claims.compiler`, the domain of :mod:`~nusym.claims.sampling`), :mod:`~nusym.claims.points` (judging
each point), :mod:`~nusym.claims.checker` (options, the time budget, the verdict: a
:class:`~nusym.claims.report.ClaimReport`).  It may import the shared vocabulary at nusym's root, the atomic models
(:mod:`nusym.atoms.spectra`), the quadrature and the time-budgeted workers (:mod:`nusym.runner.budget`); nothing of
the code generator, the detectors or the checks imports into it.
"""
from nusym.claims.checker import DEFAULT_TIMEOUT, check
from nusym.claims.report import ClaimReport
from nusym.claims.vocabulary import FUNCTIONS, RELATIONS, VARIABLES, ClaimError, parse_relation

__all__ = ["check", "ClaimReport", "ClaimError", "VARIABLES", "FUNCTIONS", "RELATIONS", "DEFAULT_TIMEOUT",
           "parse_relation"]
