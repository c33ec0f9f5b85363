//! The limiter against figures that botocore's own classes computed for
//! one scenario (`botocore_figures.py` beside this file says which, and
//! how to compute them again): before the first throttling nothing waits;
//! then the bucket's rate falls on each throttling and climbs back between
//! them, and the waits follow it.

use super::State;

// What `botocore_figures.py` printed, verbatim:
/// botocore 1.44.5: start 1000.3, (requests, demand interval) [(60, 0.1), (20, 0.8)],
/// answers after 0.05 s, server 5.0/s with a burst of 5.0.
/// (throttled, wait before sending, measured rate, fill rate after the answer)
#[rustfmt::skip]
const BOTOCORE: &[(bool, f64, f64, f64)] = &[
    (false, 0.0, 0.0, 0.5),
    (false, 0.0, 0.0, 0.5),
    (false, 0.0, 4.800000000000001, 0.5),
    (false, 0.0, 4.800000000000001, 0.5),
    (false, 0.0, 4.800000000000001, 0.5),
    (false, 0.0, 4.800000000000001, 0.5),
    (false, 0.0, 4.800000000000001, 0.5),
    (false, 0.0, 8.96, 0.5),
    (false, 0.0, 8.96, 0.5),
    (true, 0.0, 8.96, 6.272),
    (false, 0.029719387755108073, 8.96, 6.789094738915891),
    (true, 0.08082270511863499, 8.192, 4.7523663172411235),
    (false, 0.13899291825589444, 8.192, 5.3525640664212055),
    (false, 0.14243298626183787, 8.192, 5.828905076424142),
    (false, 0.12564483158962503, 6.438400000000001, 6.1593775945458535),
    (false, 0.11503674442792544, 6.438400000000001, 6.391164172549572),
    (false, 0.1082793528048569, 6.438400000000001, 6.5520189502526325),
    (false, 0.10385223189052795, 6.087680000000001, 6.659883609143751),
    (true, 0.10096258312455575, 6.087680000000001, 4.261376),
    (false, 0.1565235781922638, 6.087680000000001, 4.862055376474197),
    (false, 0.1618515502328819, 6.017536000000001, 5.323938186765721),
    (false, 0.14216867375694164, 6.017536000000001, 5.626713251070015),
    (false, 0.13041416150406349, 4.4035072, 5.826083204403822),
    (false, 0.12335291348108512, 4.4035072, 5.953598392746612),
    (false, 0.11903655453875217, 4.4035072, 6.029593654463607),
    (false, 0.11647884096521466, 5.680701440000001, 6.0691509474023615),
    (false, 0.11509358118303226, 5.680701440000001, 6.0847573259622685),
    (true, 0.11447333316948516, 5.680701440000001, 3.9764910080000004),
    (false, 0.17496886886010543, 5.936140288000001, 4.592077492549263),
    (false, 0.17446906131272044, 5.936140288000001, 5.037252805522539),
    (false, 0.15293973820962492, 5.936140288000001, 5.317025553954354),
    (false, 0.14070599287754249, 5.9872280576, 5.492294631919179),
    (false, 0.1336688527297838, 5.9872280576, 5.5967025592689055),
    (false, 0.12960940137918442, 4.39744561152, 5.652157501535105),
    (false, 0.1274141550092054, 4.39744561152, 5.67535191133574),
    (false, 0.12640487076942009, 4.39744561152, 5.680610821060277),
    (false, 0.1260836953973694, 5.679489122304001, 5.681311737217071),
    (false, 0.12602185763842044, 5.679489122304001, 5.690572991743786),
    (false, 0.12581060188108495, 5.679489122304001, 5.721428696548618),
    (false, 0.12505116962211105, 5.935897824460801, 5.786548219974193),
    (false, 0.12337727744295535, 5.935897824460801, 5.897544589375893),
    (false, 0.1205031311304765, 5.935897824460801, 6.064003267042866),
    (true, 0.11628007761203207, 5.987179564892161, 4.191025695424512),
    (false, 0.1662599772196245, 5.987179564892161, 4.808820773602344),
    (false, 0.16437475057671236, 4.397435912978432, 5.262353613485388),
    (false, 0.14433825947651258, 4.397435912978432, 5.556657890606677),
    (false, 0.13261250446453232, 4.397435912978432, 5.748229105179544),
    (false, 0.125632971869436, 5.679487182595687, 5.868713431846448),
    (false, 0.12142159487189019, 5.679487182595687, 5.938621428318879),
    (false, 0.11897783634412917, 5.679487182595687, 5.973299610772361),
    (false, 0.1177019360147824, 5.935897436519138, 5.985587807001822),
    (false, 0.11717061750243829, 5.935897436519138, 5.987179828616414),
    (true, 0.1170368403336397, 5.935897436519138, 4.155128205563396),
    (false, 0.1686207919243543, 5.987179487303828, 4.774923179459252),
    (false, 0.16591755719332468, 5.987179487303828, 5.226350760144539),
    (false, 0.14565686000878486, 4.397435897460765, 5.517789436191222),
    (false, 0.1338728979304733, 4.397435897460765, 5.706359141744495),
    (false, 0.1268953653641347, 4.397435897460765, 5.823955808454294),
    (false, 0.12271419399780825, 5.6794871794921535, 5.8912764960742665),
    (false, 0.12031385898285407, 5.6794871794921535, 5.923857039432283),
    (false, 0.11908392969326087, 5.6794871794921535, 5.934752421193859),
    (false, 0.11859081863553911, 5.935897435898431, 5.935904967685828),
    (false, 0.11847601718170608, 5.935897435898431, 5.9388670032556625),
    (false, 0.11840722333579379, 5.935897435898431, 5.955107317816446),
    (true, 0.11805944247782918, 5.987179487179686, 4.168575122471512),
    (false, 0.1684615518439614, 5.987179487179686, 4.789409515360084),
    (false, 0.16527533119437976, 4.397435897435937, 5.241024507527062),
    (false, 0.0, 4.397435897435937, 5.736412118091765),
    (false, 0.0, 2.479487179487187, 4.958974358974374),
    (false, 0.0, 1.2958974358974373, 2.5917948717948747),
    (false, 0.0, 1.8591794871794876, 3.718358974358975),
    (false, 0.0, 1.1718358974358976, 2.343671794871795),
    (false, 0.0, 1.8343671794871796, 3.6687343589743593),
    (false, 0.0, 1.166873435897436, 2.333746871794872),
    (false, 0.0, 1.033374687179487, 2.066749374358974),
    (false, 0.0, 1.8066749374358975, 3.613349874871795),
    (false, 0.0, 1.1613349874871794, 2.322669974974359),
    (false, 0.0, 1.832266997497436, 3.664533994994872),
    (false, 0.0, 1.1664533994994872, 2.3329067989989745),
    (false, 0.0, 1.0332906798998975, 2.066581359799795),
];

const START: f64 = 1000.3;
/// (requests, seconds between the times they are wanted)
const PHASES: [(usize, f64); 2] = [(60, 0.1), (20, 0.8)];
const LATENCY: f64 = 0.05;

fn close(actual: f64, expected: f64) -> bool {
    (actual - expected).abs() <= 1e-9 * expected.abs().max(1.0)
}

/// The scenario of the script, driven through this crate's limiter: each
/// request is wanted a phase's interval after the one before, is sent once
/// the one before was answered and its token's wait is over, and is
/// answered `LATENCY` later, throttled or not as the script's server said.
#[test]
fn the_limiter_matches_botocore_step_by_step() {
    let intervals = PHASES
        .iter()
        .flat_map(|&(count, interval)| std::iter::repeat_n(interval, count));
    assert_eq!(intervals.clone().count(), BOTOCORE.len());
    let mut state = State::new(START);
    let (mut wanted, mut free_at) = (START, START);
    let (mut limited, mut capped) = (0, 0);
    for (i, (&(throttled, wait, measured, fill_rate), interval)) in
        BOTOCORE.iter().zip(intervals).enumerate()
    {
        let ready = wanted.max(free_at);
        wanted += interval;
        let our_wait = state.acquire(ready);
        assert!(
            close(our_wait, wait),
            "request {i}: waited {our_wait}, botocore {wait}"
        );
        let answered = ready + our_wait + LATENCY;
        let (our_measured, our_fill_rate) = state.observe(answered, throttled);
        assert!(
            close(our_measured, measured),
            "request {i}: measured {our_measured}, botocore {measured}"
        );
        assert!(
            close(our_fill_rate, fill_rate),
            "request {i}: fill rate {our_fill_rate}, botocore {fill_rate}"
        );
        free_at = answered;
        limited += usize::from(wait > 0.0);
        capped += usize::from(measured > 0.0 && fill_rate == 2.0 * measured);
    }
    // The table is not trivial: most requests of the busy phase waited,
    // several were throttled, and in the quiet phase the fill rate was
    // held to twice the measured rate.
    assert!(limited > 40, "{limited}");
    assert!(BOTOCORE.iter().filter(|row| row.0).count() >= 5);
    assert!(capped > 10, "{capped}");
}
