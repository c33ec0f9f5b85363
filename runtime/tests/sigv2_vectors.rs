//! SigV2 against botocore's own signer: each vector's form, signed by
//! `sigv2::sign_form` at the vector's time, must carry exactly the
//! parameters botocore's `SigV2Auth` set, signature included
//! (`tests/data/sigv2/`).

use sdkgen_runtime::sigv2::sign_form;
use sdkgen_runtime::sigv4::encode_query_component;
use sdkgen_runtime::Credentials;
use serde_json::Value;
use std::collections::BTreeMap;
use time::OffsetDateTime;

fn decode(body: &[u8]) -> BTreeMap<String, String> {
    let text = std::str::from_utf8(body).expect("UTF-8");
    text.split('&')
        .map(|pair| {
            let (n, v) = pair.split_once('=').expect("name=value");
            let d = |s: &str| {
                percent_encoding::percent_decode_str(s)
                    .decode_utf8()
                    .expect("UTF-8")
                    .into_owned()
            };
            (d(n), d(v))
        })
        .collect()
}

#[test]
fn every_botocore_vector() {
    let text = include_str!("data/sigv2/vectors.json");
    let doc: Value = serde_json::from_str(text).expect("JSON");
    let cases = doc["cases"].as_array().expect("cases");
    assert!(!cases.is_empty());
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let url = case["url"].as_str().unwrap();
        let rest = url.split_once("://").unwrap().1;
        let (host, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        let form = case["params"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(n, v)| {
                format!(
                    "{}={}",
                    encode_query_component(n),
                    encode_query_component(v.as_str().unwrap())
                )
            })
            .collect::<Vec<_>>()
            .join("&");
        let credentials = Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            case["session_token"].as_str().map(str::to_string),
            None,
        );
        let time = OffsetDateTime::from_unix_timestamp(case["time"].as_i64().unwrap()).unwrap();
        let body = sign_form("POST", host, path, form.as_bytes(), &credentials, time)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let got = decode(&body);
        let want: BTreeMap<String, String> = case["signed_params"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(n, v)| (n.clone(), v.as_str().unwrap().to_string()))
            .collect();
        assert_eq!(got, want, "{name}");
        assert_eq!(
            got["Signature"],
            case["signature"].as_str().unwrap(),
            "{name}"
        );
    }
    println!(
        "sigv2 vectors: {} cases ran, {} passed",
        cases.len(),
        cases.len()
    );
}
