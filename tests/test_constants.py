import mpmath

from nusym import constants as K


def test_hartree_energy_from_alpha_and_m_e_matches_codata_within_uncertainty():
    with mpmath.workdps(30):
        derived = K.hartree_energy(mpmath)
        rel_u = 2 * K.ALPHA.relative_uncertainty + K.M_E.relative_uncertainty
        assert abs(derived - K.E_H_CODATA.mpf()) <= derived * rel_u


def test_hbar_c_from_the_si_defining_constants():
    with mpmath.workdps(30):
        # CODATA 2022: hbar c = 197.326 980 4... MeV fm = 1.973 269 804...e-5 eV cm (exact); 10 digits rounded
        assert mpmath.nstr(K.hbar_c(mpmath) * mpmath.mpf(10) ** 7, 10) == "197.3269805"


def test_classical_electron_radius_matches_codata():
    with mpmath.workdps(30):
        r_e = K.classical_electron_radius(mpmath)         # cm
        codata = mpmath.mpf("2.8179403205e-13")            # CODATA 2022, uncertainty 1.3e-23 cm
        assert abs(r_e - codata) <= mpmath.mpf("1.3e-23") * 2


def test_constants_are_exact_decimal_strings_with_sources():
    for c in K.DEFINING:
        assert mpmath.mpf(c.value) > 0 and c.source and c.unit
        assert float(c.uncertainty) >= 0
