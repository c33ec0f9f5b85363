//! The fixture crates, one per generator feature, used as a user would.
// The errors fixture marks its operation deprecated on purpose.
#![allow(deprecated)]

use sdkgen_runtime::error::ProvideErrorMetadata;
use sdkgen_runtime::{timestamp, Operation};
use sdkgen_tests::{decoded_segments, response};

mod enums {
    use fixture_enums::types::Status;

    #[test]
    fn awkward_values_get_valid_variants() {
        assert_eq!(Status::from("in-progress-2"), Status::InProgress2);
        assert_eq!(Status::from("SMS"), Status::Sms);
        assert_eq!(Status::from("3d"), Status::V3d);
        // A model value named `Unknown` does not collide with the catch-all.
        assert_eq!(Status::from("Unknown"), Status::UnknownValue);
        assert_eq!(Status::UnknownValue.as_str(), "Unknown");
        assert!(matches!(Status::from("Other"), Status::Unknown(_)));
    }
}

mod labels {
    use super::*;
    use fixture_labels::operation::get_object::{GetObject, GetObjectInput};
    use fixture_labels::types::Kind;

    #[test]
    fn greedy_and_enum_labels_with_a_literal_query() {
        let input = GetObjectInput::builder()
            .bucket("my bucket")
            .kind(Kind::Dir)
            .key("photos/2024/a b.jpg")
            .build()
            .unwrap();
        let req = GetObject::serialize(&input, &Default::default()).unwrap();
        assert_eq!(
            req.path_and_query,
            "/buckets/my%20bucket/dir/objects/photos/2024/a%20b.jpg?versions"
        );
        assert_eq!(decoded_segments(req.path()).last().unwrap(), "a b.jpg");
    }

    #[test]
    fn a_greedy_label_cannot_climb_out() {
        let input = GetObjectInput::builder()
            .bucket("b")
            .kind(Kind::File)
            .key("a/../../x")
            .build()
            .unwrap();
        let err = GetObject::serialize(&input, &Default::default()).unwrap_err();
        assert_eq!(err.member(), Some("Key"));
    }

    #[test]
    fn every_required_label_is_checked() {
        let err = GetObjectInput::builder()
            .bucket("b")
            .key("k")
            .build()
            .unwrap_err();
        assert_eq!(err.member(), Some("Kind"));
    }
}

mod timestamps {
    use super::*;
    use fixture_timestamps::operation::get_event::GetEvent;

    #[test]
    fn every_member_accepts_every_format() {
        let body = r#"{
            "Default": 1704164645,
            "Iso": "2024-01-02T03:04:05+00:00",
            "Epoch": "2024-01-02T03:04:05Z",
            "HttpDate": "Tue, 02 Jan 2024 03:04:05 GMT"
        }"#;
        let out = GetEvent::deserialize(response(200, &[], body)).unwrap();
        for value in [out.default_value(), out.iso(), out.epoch(), out.http_date()] {
            assert_eq!(
                timestamp::format_iso8601(value.unwrap()),
                "2024-01-02T03:04:05Z"
            );
        }
    }
}

mod nested {
    use super::*;
    use fixture_nested::operation::get_tree::{GetTree, GetTreeOutput};
    use fixture_nested::types::Node;

    const BODY: &str = r#"{
        "Root": {
            "Type": "root",
            "Weight": 1.5, "Count": 2, "Leaf": false, "Ratio": 0.25,
            "Parent": {"Type": "above", "Parent": {"Type": "top"}},
            "Children": [{"Type": "child", "Leaf": true}]
        },
        "Grid": [[1, 2], [], [3]],
        "Tags": {"a": "1", "b": "2"},
        "Groups": {"g": [{"Type": "member"}]}
    }"#;

    #[test]
    fn recursive_structures_lists_of_lists_and_maps() {
        let out = GetTree::deserialize(response(200, &[], BODY)).unwrap();
        let root = out.root().unwrap();
        assert_eq!(root.r#type(), Some("root"));
        assert_eq!(
            root.parent().and_then(Node::parent).and_then(Node::r#type),
            Some("top")
        );
        assert_eq!(root.children()[0].leaf(), Some(true));
        assert_eq!(out.grid(), [vec![1, 2], vec![], vec![3]]);
        assert_eq!(out.tags().unwrap()["b"], "2");
        assert_eq!(out.groups().unwrap()["g"][0].r#type(), Some("member"));
        let json = serde_json::to_string(&out).unwrap();
        let again: GetTreeOutput = GetTree::deserialize(response(200, &[], &json)).unwrap();
        assert_eq!(out, again);
    }

    #[test]
    fn builders_append_and_box() {
        let node = Node::builder()
            .r#type("n")
            .children(Node::builder().r#type("c1").build())
            .children(Node::builder().r#type("c2").build())
            .parent(Node::builder().r#type("p").build())
            .build();
        assert_eq!(node.children().len(), 2);
        assert_eq!(node.parent().unwrap().r#type(), Some("p"));
        let out = GetTreeOutput::builder()
            .tags("k", "v")
            .tags("k2", "v2")
            .build();
        assert_eq!(out.tags().unwrap().len(), 2);
    }
}

mod sensitive {
    use super::*;
    use fixture_sensitive::operation::get_account::GetAccount;

    #[test]
    fn sensitive_members_lists_and_structures_are_redacted() {
        let body = r#"{"Name":"alice","Password":"hunter2","BackupCodes":["c0de1","c0de2"],"Card":{"Number":"4111"}}"#;
        let out = GetAccount::deserialize(response(200, &[], body)).unwrap();
        let debug = format!("{out:?}");
        for secret in ["hunter2", "c0de1", "4111"] {
            assert!(!debug.contains(secret), "{secret} in {debug}");
        }
        assert!(debug.contains("alice"), "{debug}");
        assert_eq!(
            out.password(),
            Some("hunter2"),
            "the value itself is still there"
        );
        let builder = format!(
            "{:?}",
            fixture_sensitive::types::Card::builder().number("4111")
        );
        assert!(!builder.contains("4111"), "{builder}");
    }
}

mod errors {
    use super::*;
    use fixture_errors::operation::delete_widget::{DeleteWidget, DeleteWidgetError};
    use fixture_errors::types::ConflictReason;

    #[test]
    fn modeled_error_members_are_read_from_the_body() {
        let body = r#"{"__type":"ConflictException","Message":"busy","Reason":"Locked"}"#;
        let err = DeleteWidget::deserialize(response(409, &[], body))
            .unwrap_err()
            .into_service_error()
            .unwrap();
        match &err {
            DeleteWidgetError::ConflictException(e) => {
                assert_eq!(e.reason(), Some(&ConflictReason::Locked));
                assert_eq!(e.message(), Some("busy"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(err.code(), Some("ConflictException"));
    }

    #[test]
    fn an_error_body_of_the_wrong_shape_is_still_that_error() {
        let body = r#"{"code":"ConflictException","Reason":42}"#;
        let err = DeleteWidget::deserialize(response(409, &[], body))
            .unwrap_err()
            .into_service_error()
            .unwrap();
        assert!(err.is_conflict_exception(), "{err:?}");
    }

    #[test]
    fn no_content_is_success() {
        let out = DeleteWidget::deserialize(response(204, &[], ""));
        assert!(out.is_ok());
    }
}

mod bodies {
    use super::*;
    use fixture_bodies::operation::update_widget::{UpdateWidget, UpdateWidgetInput};
    use fixture_bodies::types::{Color, WidgetShape};

    #[test]
    fn query_parameters_and_a_json_body() {
        let input = UpdateWidgetInput::builder()
            .widget_id("w 1")
            .dry_run(true)
            .max_results(25)
            .fields("a&b")
            .fields("c")
            .color(Color::Blue)
            .name("gear")
            .labels("x")
            .attributes("k", "v")
            .shape(WidgetShape::builder().sides(6).rounded(false).build())
            .finish(Color::from("chrome"))
            .build()
            .unwrap();
        let request = UpdateWidget::serialize(&input, &Default::default()).unwrap();
        assert_eq!(request.method, "PUT");
        assert_eq!(
            request.path_and_query,
            "/widgets/w%201?mode=full&dry-run=true&max-results=25&field=a%26b&field=c&color=blue"
        );
        assert_eq!(request.header("content-type"), Some("application/json"));
        let body: serde_json::Value =
            serde_json::from_slice(request.body.bytes().unwrap()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({
                "Name": "gear",
                "Labels": ["x"],
                "Attributes": {"k": "v"},
                "Shape": {"Sides": 6, "Rounded": false},
                "Finish": "chrome"
            })
        );
    }

    #[test]
    fn unset_members_are_left_out_and_minimums_are_checked() {
        let input = UpdateWidgetInput::builder()
            .widget_id("w")
            .name("abc")
            .build()
            .unwrap();
        let request = UpdateWidget::serialize(&input, &Default::default()).unwrap();
        assert_eq!(request.path_and_query, "/widgets/w?mode=full");
        assert_eq!(request.body.bytes(), Some(&br#"{"Name":"abc"}"#[..]));
        let err = UpdateWidgetInput::builder()
            .widget_id("w")
            .name("ab")
            .build()
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "Name is invalid: length 2 is less than the minimum length 3"
        );
        let err = UpdateWidgetInput::builder()
            .widget_id("w")
            .name("abc")
            .max_results(0)
            .build()
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "MaxResults is invalid: 0 is less than the minimum 1"
        );
    }
}
