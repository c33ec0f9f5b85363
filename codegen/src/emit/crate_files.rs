//! The files that tie a crate together: `Cargo.toml`, `lib.rs` and the
//! `mod.rs` of each directory.

use super::features::{cargo_features, cfg, cfg_feature, cfg_operation, crate_feature_lines};
use super::front_page;
use super::tokens::{inner_doc, rt};
use super::Options;
use crate::ir::{Crate, Http2};
use crate::naming::{self, ident};
use proc_macro2::TokenStream;
use quote::quote;

/// `Cargo.toml`. TOML, not Rust: each value is quoted as a JSON string,
/// which TOML reads the same way.
pub fn cargo_toml(krate: &Crate, options: &Options) -> String {
    let q = |s: &str| serde_json::to_string(s).expect("a string always serializes");
    let description = format!(
        "{} client (API version {}), generated from the botocore model.",
        krate.service.title, krate.service.api_version
    );
    let service = naming::service_crate(&krate.service.service_id);
    let keywords: Vec<String> = keywords(&service).into_iter().map(q).collect();
    let package = [
        "[package]".to_string(),
        format!("name = {}", q(&options.crate_name)),
        format!("version = {}", q(&options.crate_version)),
        "edition = \"2021\"".to_string(),
        format!("description = {}", q(&description)),
        "license = \"Apache-2.0\"".to_string(),
        "readme = \"README.md\"".to_string(),
        format!("keywords = [{}]", keywords.join(", ")),
        "categories = [\"api-bindings\", \"web-programming::http-client\"]".to_string(),
    ];
    let unreleased = (!releasable(options)).then(|| "publish = false".to_string());
    let docs_rs = [
        String::new(),
        "# docs.rs shows which feature compiles each operation and type.".to_string(),
        "[package.metadata.docs.rs]".to_string(),
        "all-features = true".to_string(),
        "rustdoc-args = [\"--cfg\", \"docsrs\"]".to_string(),
        String::new(),
        NO_UNIT_TESTS.to_string(),
        String::new(),
        "[dependencies]".to_string(),
        runtime_dependency(krate, &q(&options.runtime_path)),
    ];
    let config = options.config_path.as_ref().map(|path| {
        format!(
            "sdkgen-config = {{ version = {}, path = {} }}",
            q(RUNTIME_VERSION),
            q(path)
        )
    });
    package
        .into_iter()
        .chain(unreleased)
        .chain(docs_rs)
        .chain(config)
        .chain([String::new()])
        .chain(cargo_features(krate))
        .chain(crate_feature_lines())
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Generated code holds no unit tests; without this `cargo test` compiles
/// each crate a second time as an empty test harness (for EC2, a million
/// lines). Its doc examples still compile as doctests.
pub const NO_UNIT_TESTS: &str =
    "# No unit tests in generated code: `cargo test` skips the empty harness.\n[lib]\ntest = false";

/// The generator, the runtime and the configuration crate share the
/// workspace's version: generated code calls the runtime of the
/// generator's own release, and names it with that version so that a
/// registry resolves the same crate as the path does.
pub const RUNTIME_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Fixtures, the conformance suites and coverage runs are generated at
/// version 0.0.0 and never go to a registry; a service crate has its
/// manifest's version.
fn releasable(options: &Options) -> bool {
    options.crate_version != "0.0.0"
}

/// A registry's search words: at most five, each a letter then up to 19
/// letters, digits, `-` or `_`; the service's name (`s3`, not the
/// package's `sdkgen-s3`) when it is one.
fn keywords(service: &str) -> Vec<&str> {
    let valid = service.len() <= 20
        && service.starts_with(|c: char| c.is_ascii_alphabetic())
        && service
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let mut words = vec!["aws", "sdk", "client"];
    if valid && !words.contains(&service) {
        words.push(service);
    }
    words
}

/// The runtime, with gzip only when an operation compresses its requests,
/// MD5 only when one requires a `Content-MD5` checksum, flexible checksums
/// only when one has them, HTTP/2 only when the model requires it (where
/// it is optional, the crate's `http2` feature turns it on), and what the
/// protocol's wire code needs (`cbor`): a crate that needs none of them
/// does not compile them.
fn runtime_dependency(krate: &Crate, path: &str) -> String {
    let features: Vec<&str> = [
        (
            "gzip",
            krate.operations.iter().any(|o| o.request_compression),
        ),
        ("md5", krate.operations.iter().any(|o| o.content_md5)),
        (
            "checksums",
            krate.operations.iter().any(|o| o.http_checksum.is_some()),
        ),
        ("http2", krate.service.http2 == Http2::Required),
    ]
    .into_iter()
    .filter_map(|(feature, needed)| needed.then_some(feature))
    .chain(krate.service.protocol.runtime_features().iter().copied())
    .collect();
    let version = serde_json::to_string(RUNTIME_VERSION).expect("a string always serializes");
    if features.is_empty() {
        format!("sdkgen-runtime = {{ version = {version}, path = {path} }}")
    } else {
        let list = serde_json::to_string(&features).expect("strings always serialize");
        format!("sdkgen-runtime = {{ version = {version}, path = {path}, features = {list} }}")
    }
}

/// `lib.rs`: the docs (the crate's front page), the modules, what a user
/// names, and, with a configuration crate, `from_env()` and `loader()`.
pub fn lib_rs(
    krate: &Crate,
    options: &Options,
    model_sha256: &str,
    has_rules: bool,
) -> TokenStream {
    let rt = rt();
    let service = &krate.service;
    let uses_config = options.config_path.is_some();
    let intro = front_page::markdown(krate, &options.crate_name, &options.crate_version);
    let docs = inner_doc(&intro);
    let (service_id, api_version, signing_name, endpoint_prefix) = (
        &service.service_id,
        &service.api_version,
        &service.signing_name,
        &service.endpoint_prefix,
    );
    // One item per `use`: rustfmt (which formats lib.rs; the modules are
    // skipped) and prettyplease then agree on the layout.
    let reexports = [
        "Blob",
        "BuildError",
        "ByteStream",
        "Config",
        "ConfigBuilder",
        "ConfigError",
        "Credentials",
        "DateTime",
        "Document",
        "ErrorMetadata",
        "EventReceiver",
        "RetryConfig",
        "SdkError",
        "TimeoutConfig",
    ]
    .iter()
    .map(|name| {
        let name = ident(name);
        quote!(pub use #rt::#name;)
    });
    let loading =
        uses_config.then(|| config_loading(service.bearer_token_env, service.bearer_token_sso));
    let checksums = krate.operations.iter().any(|o| o.http_checksum.is_some());
    let facade = facade(uses_config, checksums);
    let blocking_cfg = cfg_feature("blocking");
    let waiters_mod = (!krate.waiters.is_empty()).then(|| {
        quote! {
            #[rustfmt::skip]
            pub mod waiters;
        }
    });
    let endpoint_mods = has_rules.then(|| {
        quote! {
            #[rustfmt::skip]
            pub mod endpoint;
            #[rustfmt::skip]
            mod partitions;
        }
    });
    quote! {
        #docs
        #![warn(missing_docs)]
        // docs.rs (`--cfg docsrs`, nightly) shows the feature each item needs.
        #![cfg_attr(docsrs, feature(doc_cfg))]
        // The crate uses what its model deprecates (a deprecated error in
        // an operation's error enum, say); users are warned where they do.
        #![allow(deprecated)]

        #[rustfmt::skip]
        mod client;
        #endpoint_mods
        #[rustfmt::skip]
        pub mod operation;
        #[rustfmt::skip]
        mod protocol_serde;
        #[rustfmt::skip]
        pub mod types;
        #waiters_mod

        /// The types only this crate may make: an error the model does not
        /// name and an enum value it does not know.
        #[rustfmt::skip]
        mod sealed {
            #rt::sealed_types!();
        }

        #blocking_cfg
        pub use client::blocking;
        pub use client::Client;
        pub use #rt::error::ProvideErrorMetadata;
        #(#reexports)*

        #facade

        /// The service id, as AWS SDKs name the service.
        pub const SERVICE_ID: &str = #service_id;
        /// The API version this crate was generated for.
        pub const API_VERSION: &str = #api_version;
        /// The name requests are signed for (SigV4 `service`).
        pub const SIGNING_NAME: &str = #signing_name;
        /// The prefix of the service's endpoint host names.
        pub const ENDPOINT_PREFIX: &str = #endpoint_prefix;
        /// SHA-256 of the model file this crate was generated from.
        pub const MODEL_SHA256: &str = #model_sha256;

        #loading
    }
}

/// The modules that name everything else a user may write down, so that the
/// generated crate is the only dependency a program needs.
/// `checksums`: an operation has flexible checksums, so the policies
/// that govern them, and the error a damaged body gives, are offered.
fn facade(uses_config: bool, checksums: bool) -> TokenStream {
    let uses = |items: &[(&str, &str)]| -> Vec<TokenStream> {
        items
            .iter()
            .map(|(krate, path)| {
                let krate = ident(krate);
                let segments = path.split("::").map(ident);
                quote!(pub use #krate #(:: #segments)*;)
            })
            .collect()
    };
    let rt_name = "sdkgen_runtime";
    let cfg_name = "sdkgen_config";
    let mut error_items = vec![
        (rt_name, "error::BuildError"),
        (rt_name, "credentials::CredentialsError"),
        (rt_name, "error::DispatchError"),
        (rt_name, "error::DispatchErrorKind"),
        (rt_name, "error::ErrorMetadata"),
        (rt_name, "error::ErrorMetadataBuilder"),
        (rt_name, "error::Fault"),
        (rt_name, "error::ProvideErrorMetadata"),
        (rt_name, "error::RawResponse"),
        (rt_name, "error::ResponseError"),
        (rt_name, "error::SdkError"),
        (rt_name, "error::TimeoutError"),
        (rt_name, "error::TimeoutKind"),
    ];
    let mut config_items = vec![
        (rt_name, "Config"),
        (rt_name, "ConfigBuilder"),
        (rt_name, "ConfigError"),
        (rt_name, "RetryConfig"),
        (rt_name, "TimeoutConfig"),
        (rt_name, "clock::RandomSource"),
        (rt_name, "clock::Sleep"),
        (rt_name, "clock::TimeSource"),
        (rt_name, "retry::RetryMode"),
        (rt_name, "transport::HttpClient"),
        (rt_name, "transport::HttpClientBuilder"),
        (rt_name, "transport::ProxyConfig"),
    ];
    if checksums {
        config_items.extend([
            (rt_name, "checksum::ChecksumPolicy"),
            (rt_name, "checksum::ChecksumAlgorithm"),
        ]);
        error_items.push((rt_name, "checksum::ChecksumMismatch"));
    }
    let mut credential_items = vec![
        (rt_name, "credentials::BoxFuture"),
        (rt_name, "credentials::Credentials"),
        (rt_name, "credentials::CredentialsError"),
        (rt_name, "credentials::ProvideCredentials"),
    ];
    if uses_config {
        config_items.push((cfg_name, "Loader"));
        credential_items.extend([
            (cfg_name, "credentials::ChainProvider"),
            (cfg_name, "credentials::EnvironmentCredentials"),
            (cfg_name, "credentials::MfaRequest"),
            (cfg_name, "credentials::MfaTokenFn"),
            (cfg_name, "credentials::ProfileCredentials"),
            (cfg_name, "credentials::ProvideMfaToken"),
        ]);
    }
    let error = uses(&error_items);
    let config = uses(&config_items);
    let credentials = uses(&credential_items);
    let primitives = uses(&[
        (rt_name, "Blob"),
        (rt_name, "ByteStream"),
        (rt_name, "DateTime"),
        (rt_name, "Document"),
        (rt_name, "EventReceiver"),
        (rt_name, "paginator::ItemStream"),
        (rt_name, "paginator::PageStream"),
    ]);
    let presigning = uses(&[
        (rt_name, "presign::PresignedRequest"),
        (rt_name, "presign::PresigningConfig"),
        (rt_name, "presign::PresigningConfigError"),
    ]);
    let (reqwest_cfg, test_util_cfg) = (cfg_feature("reqwest"), cfg_feature("test-util"));
    let transport = uses(&[
        (rt_name, "body::SdkBody"),
        (rt_name, "transport::SendError"),
        (rt_name, "transport::Transport"),
    ]);
    quote! {
        /// What a call can fail with: [`SdkError`] and its parts.
        #[rustfmt::skip]
        pub mod error {
            #(#error)*
        }

        /// Settings of a client: region, credentials, retries, timeouts,
        /// the HTTP client.
        #[rustfmt::skip]
        pub mod config {
            #(#config)*
        }

        /// Credentials, and the sources they come from.
        #[rustfmt::skip]
        pub mod credentials {
            #(#credentials)*
        }

        /// The value types of members: blobs, streams, timestamps,
        /// documents, and the streams of pages that paginators return.
        #[rustfmt::skip]
        pub mod primitives {
            #(#primitives)*
        }

        /// Presigned requests: every operation's builder has
        /// `presigned(PresigningConfig::expires_in(..)?)`, which signs the
        /// request in its URL for any HTTP client to send.
        #[rustfmt::skip]
        pub mod presigning {
            #(#presigning)*
        }

        /// The interface the client sends requests through, to carry them
        /// another way (see [`ConfigBuilder::transport`](crate::ConfigBuilder::transport)).
        #[rustfmt::skip]
        pub mod transport {
            #(#transport)*
            #reqwest_cfg
            pub use sdkgen_runtime::transport::ReqwestTransport;
        }

        /// Test doubles for code that calls this crate: rules that answer
        /// calls without a network, and a transport that replays
        /// responses and checks requests (feature `test-util`).
        #test_util_cfg
        #[rustfmt::skip]
        pub mod test_util {
            pub use sdkgen_runtime::test_util::Mocks;
            pub use sdkgen_runtime::test_util::ReplayEvent;
            pub use sdkgen_runtime::test_util::ReplayTransport;
            pub use sdkgen_runtime::test_util::Rule;
        }
    }
}

/// `from_env()` and `loader()`, from the configuration crate; the loader
/// reads `AWS_BEARER_TOKEN_<SIGNING NAME>`, and tokens from the profile's
/// SSO session, where the IR says so.
fn config_loading(bearer_token_env: bool, bearer_token_sso: bool) -> TokenStream {
    let env = bearer_token_env.then(|| quote!(.bearer_token_env(SIGNING_NAME)));
    let sso = bearer_token_sso.then(|| quote!(.sso_bearer_token()));
    let loader = quote!(Loader::new(SERVICE_ID) #env #sso);
    quote! {
        pub use sdkgen_config::credentials::MfaRequest;
        pub use sdkgen_config::credentials::MfaTokenFn;
        pub use sdkgen_config::credentials::ProvideMfaToken;
        pub use sdkgen_config::Loader;

        /// Configuration as every AWS SDK finds it: environment variables,
        /// then the shared config files (profile from `AWS_PROFILE`); see
        /// [`Loader`] for the order. Settings made on the returned builder win.
        pub fn from_env() -> Result<ConfigBuilder, ConfigError> {
            loader().load()
        }

        /// A [`Loader`] for this service, to choose a profile or an
        /// environment before loading.
        pub fn loader() -> Loader {
            #loader
        }
    }
}

/// `operation/mod.rs`.
pub fn operation_mod(krate: &Crate) -> TokenStream {
    let mods = krate.operations.iter().map(|op| {
        let module = ident(&op.module);
        let line = format!(" The `{}` operation.", op.name);
        let cfg = cfg_operation(op);
        quote!(#[doc = #line] #cfg pub mod #module;)
    });
    quote! {
        //! One module per operation: input, output, error and HTTP binding.
        #(#mods)*
    }
}

/// `types/mod.rs`.
pub fn types_mod(krate: &Crate) -> TokenStream {
    let structures = krate
        .structures
        .iter()
        .map(|s| (&s.module, &s.type_name, true, s.directions.operations()));
    let unions = krate
        .unions
        .iter()
        .map(|u| (&u.module, &u.type_name, false, u.directions.operations()));
    let enums = krate
        .enums
        .iter()
        .map(|e| (&e.module, &e.type_name, false, e.operations.clone()));
    let mut entries: Vec<_> = structures.chain(unions).chain(enums).collect();
    entries.sort();
    let mods = entries.iter().map(|(module, type_name, _, users)| {
        let module = ident(module);
        let name = ident(type_name);
        let cfg = cfg(krate, users);
        quote!(#cfg mod #module; #cfg pub use #module::#name;)
    });
    let builders = entries
        .iter()
        .filter(|e| e.2)
        .map(|(module, type_name, _, users)| {
            let module = ident(module);
            let builder = ident(&naming::builder(type_name));
            let cfg = cfg(krate, users);
            quote!(#cfg pub use super::#module::#builder;)
        });
    quote! {
        //! The structures and enums the operations use.
        #(#mods)*
        /// Builders for the structures of this module.
        pub mod builders {
            #(#builders)*
        }
        pub mod error;
    }
}

/// `types/error/mod.rs`.
pub fn errors_mod(krate: &Crate) -> TokenStream {
    let mods = krate.errors.iter().map(|s| {
        let module = ident(&s.module);
        let name = ident(&s.type_name);
        let cfg = cfg(krate, &s.directions.response);
        quote!(#cfg mod #module; #cfg pub use #module::#name;)
    });
    quote! {
        //! The errors the operations name; each operation's error enum wraps them.
        #(#mods)*
    }
}

#[cfg(test)]
mod tests {
    use super::keywords;

    #[test]
    fn a_service_name_is_a_keyword_when_a_registry_takes_it() {
        assert_eq!(
            keywords("chime-sdk-voice"),
            ["aws", "sdk", "client", "chime-sdk-voice"]
        );
        // Longer than 20 characters, or not starting with a letter.
        assert_eq!(
            keywords("resource-groups-tagging-api"),
            ["aws", "sdk", "client"]
        );
        assert_eq!(keywords("2fa"), ["aws", "sdk", "client"]);
        // No word twice.
        assert_eq!(keywords("sdk"), ["aws", "sdk", "client"]);
    }
}
