//! String enums: known values as variants, any other value kept.

use chime_sdk_voice::types::{
    Capability, GeoMatchLevel, NumberSelectionBehavior, ProxySessionStatus,
};
use std::str::FromStr;

#[test]
fn known_values_round_trip() {
    for value in ProxySessionStatus::values() {
        let parsed = ProxySessionStatus::from(*value);
        let known = matches!(
            parsed,
            ProxySessionStatus::Open | ProxySessionStatus::InProgress | ProxySessionStatus::Closed
        );
        assert!(known, "{value}");
        assert_eq!(parsed.as_str(), *value);
        assert_eq!(parsed.to_string(), *value);
    }
    assert_eq!(
        ProxySessionStatus::values(),
        &["Open", "InProgress", "Closed"]
    );
    assert_eq!(Capability::values(), &["Voice", "SMS"]);
    assert_eq!(
        NumberSelectionBehavior::values(),
        &["PreferSticky", "AvoidSticky"]
    );
    assert_eq!(GeoMatchLevel::values(), &["Country", "AreaCode"]);
    assert_eq!(Capability::from("SMS"), Capability::Sms);
    assert_eq!(
        GeoMatchLevel::from_str("AreaCode"),
        Ok(GeoMatchLevel::AreaCode)
    );
}

#[test]
fn unknown_values_are_kept_exactly() {
    for value in ["Paused", "sms", "", " Open", "Ünïcode"] {
        let parsed = Capability::from_str(value).unwrap();
        // The documented way to handle a value the model does not know:
        // a wildcard arm that reads `as_str()`.
        match &parsed {
            Capability::Voice | Capability::Sms => panic!("{value:?} became {parsed:?}"),
            other => assert_eq!(other.as_str(), value),
        }
        assert_eq!(parsed.as_str(), value);
        assert_eq!(
            serde_json::to_string(&parsed).unwrap(),
            serde_json::to_string(value).unwrap()
        );
    }
}

#[test]
fn serde_uses_the_wire_value() {
    let parsed: Vec<Capability> = serde_json::from_str(r#"["Voice","SMS","Fax"]"#).unwrap();
    assert_eq!(parsed[..2], [Capability::Voice, Capability::Sms]);
    assert_eq!(
        serde_json::to_string(&parsed).unwrap(),
        r#"["Voice","SMS","Fax"]"#
    );
    assert!(serde_json::from_str::<Capability>("5").is_err());
}
