//! A frame of every header type, written by our encoder and read by
//! botocore's decoder (`testdata/README.md` says how): our decoder reads
//! from it what botocore did, and our encoder still writes it.

use super::*;
use base64::Engine;
use serde_json::Value;

#[test]
fn botocore_reads_our_frame_of_every_type_as_we_do() {
    let vector: Value =
        serde_json::from_str(include_str!("../testdata/botocore-decoded.json")).unwrap();
    let base64 = |v: &Value| {
        base64::engine::general_purpose::STANDARD
            .decode(v.as_str().unwrap())
            .unwrap()
    };
    let frame = base64(&vector["encoded"]);
    assert_eq!(encode(&every_type()).unwrap(), frame);

    let message = decode_message(frame.clone().into()).unwrap();
    let crc_at = |at: usize| u32::from_be_bytes(frame[at..at + 4].try_into().unwrap());
    assert_eq!(vector["prelude_crc"].as_u64(), Some(crc_at(8).into()));
    assert_eq!(
        vector["message_crc"].as_u64(),
        Some(crc_at(frame.len() - 4).into())
    );
    assert_eq!(&message.payload()[..], base64(&vector["payload"]));

    let theirs = vector["headers"].as_array().unwrap();
    assert_eq!(message.headers().len(), theirs.len());
    for (ours, theirs) in message.headers().iter().zip(theirs) {
        assert_eq!(ours.name(), theirs["name"].as_str().unwrap());
        let expected = &theirs["value"];
        let value = ours.value();
        match theirs["python_type"].as_str().unwrap() {
            "bool" => assert_eq!(value.as_bool(), expected.as_bool()),
            "int" => {
                let ours = match value {
                    HeaderValue::Byte(v) => i64::from(*v),
                    HeaderValue::Int16(v) => i64::from(*v),
                    HeaderValue::Int32(v) => i64::from(*v),
                    HeaderValue::Int64(v) => *v,
                    HeaderValue::Timestamp(t) => (t.as_nanos() / 1_000_000) as i64,
                    other => panic!("{other:?} is not an int"),
                };
                assert_eq!(Some(ours), expected.as_i64(), "{}", theirs["name"]);
            }
            "bytes" => {
                let ours = match value {
                    HeaderValue::ByteArray(v) => v.to_vec(),
                    HeaderValue::Uuid(v) => v.to_vec(),
                    other => panic!("{other:?} is not bytes"),
                };
                assert_eq!(ours, base64(expected));
            }
            "str" => assert_eq!(value.as_str(), expected.as_str()),
            other => panic!("unknown type {other}"),
        }
    }
}
