//! Loopback stand-ins for STS, SSO and SSO-OIDC, strict about what real
//! ones check: each STS call must be signed with the credentials the test
//! says (or not signed at all, for web identity), SSO's with the bearer
//! token and no signature. What they answer is derived from what was asked,
//! so that a test can tell which credentials signed what.

use crate::server::{MockServer, Recorded, Reply};
use crate::sigv4_verify::verify;
use percent_encoding::percent_decode_str;
use std::collections::HashMap;

/// Temporary credentials, as a fake hands them out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    pub access_key_id: String,
    pub secret: String,
    pub token: String,
}

impl Issued {
    /// The credentials a role named `name` gets: `ASIA-<name>`,
    /// `secret-<name>`, `token-<name>`.
    pub fn for_role(name: &str) -> Issued {
        Issued {
            access_key_id: format!("ASIA-{name}"),
            secret: format!("secret-{name}"),
            token: format!("token-{name}"),
        }
    }
}

/// How a role may be assumed.
#[derive(Debug, Clone)]
pub enum Caller {
    /// `AssumeRole` signed with this secret key.
    SignedWith(String),
    /// `AssumeRoleWithWebIdentity`, unsigned, with this token.
    WebIdentity(String),
}

/// A role the fake STS knows: its ARN's last part names it
/// (`arn:aws:iam::123456789012:role/app` is `app`).
#[derive(Debug, Clone)]
pub struct Role {
    pub arn: String,
    pub caller: Caller,
    /// `SerialNumber` and `TokenCode` the call must carry.
    pub mfa: Option<(String, String)>,
}

impl Role {
    pub fn new(name: &str, caller: Caller) -> Role {
        Role {
            arn: format!("arn:aws:iam::123456789012:role/{name}"),
            caller,
            mfa: None,
        }
    }

    pub fn name(&self) -> &str {
        self.arn.rsplit('/').next().unwrap_or_default()
    }
}

/// The form of a query request, decoded.
pub fn form(request: &Recorded) -> HashMap<String, String> {
    let body = String::from_utf8_lossy(&request.body).replace('+', " ");
    body.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| percent_decode_str(s).decode_utf8_lossy().into_owned();
            (decode(k), decode(v))
        })
        .collect()
}

fn xml(status: u16, body: String) -> Reply {
    Reply::Respond {
        status,
        headers: vec![
            ("content-type".into(), "text/xml".into()),
            ("x-amzn-RequestId".into(), "sts-request-id".into()),
        ],
        body,
    }
}

/// An STS error as STS writes it.
pub fn sts_error(status: u16, code: &str, message: &str) -> Reply {
    xml(
        status,
        format!(
            "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>sts-request-id</RequestId></ErrorResponse>"
        ),
    )
}

/// A fake STS for `roles`, handing out credentials that expire at
/// `expiration` (ISO 8601). A role named `denied` is refused
/// (`AccessDenied`), one named `expired` says the caller's token expired
/// (`ExpiredTokenException`).
pub async fn sts(roles: Vec<Role>, expiration: String) -> MockServer {
    MockServer::start(move |request, _| answer(&roles, &expiration, request)).await
}

fn answer(roles: &[Role], expiration: &str, request: &Recorded) -> Reply {
    let form = form(request);
    let action = form.get("Action").map(String::as_str).unwrap_or_default();
    if form.get("Version").map(String::as_str) != Some("2011-06-15") {
        return sts_error(400, "InvalidParameterValue", "no Version");
    }
    let Some(role) = roles.iter().find(|r| Some(&r.arn) == form.get("RoleArn")) else {
        return sts_error(403, "AccessDenied", "no such role");
    };
    if form.get("RoleSessionName").is_none_or(|n| n.is_empty()) {
        return sts_error(400, "ValidationError", "RoleSessionName is required");
    }
    match (&role.caller, action) {
        (Caller::SignedWith(secret), "AssumeRole") => {
            if let Err(why) = verify(request, secret) {
                return sts_error(403, "SignatureDoesNotMatch", &why);
            }
        }
        (Caller::WebIdentity(token), "AssumeRoleWithWebIdentity") => {
            if request.header("authorization").is_some() {
                return sts_error(
                    400,
                    "InvalidAction",
                    "AssumeRoleWithWebIdentity is not signed",
                );
            }
            if form.get("WebIdentityToken") != Some(token) {
                return sts_error(400, "InvalidIdentityToken", "the token is not valid");
            }
        }
        _ => {
            return sts_error(
                400,
                "InvalidAction",
                &format!("{action} is not how this role is assumed"),
            )
        }
    }
    if let Some((serial, code)) = &role.mfa {
        if form.get("SerialNumber") != Some(serial) || form.get("TokenCode") != Some(code) {
            return sts_error(403, "AccessDenied", "MultiFactorAuthentication failed");
        }
    }
    match role.name() {
        "denied" => {
            return sts_error(
                403,
                "AccessDenied",
                "not authorized to perform sts:AssumeRole",
            )
        }
        "expired" => {
            return sts_error(
                400,
                "ExpiredTokenException",
                "The security token included in the request is expired",
            )
        }
        _ => {}
    }
    let issued = Issued::for_role(role.name());
    let (key, secret, token) = (&issued.access_key_id, &issued.secret, &issued.token);
    xml(
        200,
        format!(
            "<{action}Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n  <{action}Result>\n    <Credentials>\n      <AccessKeyId>{key}</AccessKeyId>\n      <SecretAccessKey>{secret}</SecretAccessKey>\n      <SessionToken>{token}</SessionToken>\n      <Expiration>{expiration}</Expiration>\n    </Credentials>\n    <AssumedRoleUser><Arn>{arn}</Arn><AssumedRoleId>AROA:{session}</AssumedRoleId></AssumedRoleUser>\n  </{action}Result>\n  <ResponseMetadata><RequestId>sts-request-id</RequestId></ResponseMetadata>\n</{action}Response>\n",
            arn = role.arn,
            session = form.get("RoleSessionName").cloned().unwrap_or_default(),
        ),
    )
}

/// A fake SSO portal: `GetRoleCredentials` for `account`/`role` with the
/// bearer token `token`, unsigned, answering credentials that expire at
/// `expiration_millis`.
pub async fn sso(account: &str, role: &str, token: &str, expiration_millis: i64) -> MockServer {
    let (account, role, token) = (account.to_string(), role.to_string(), token.to_string());
    MockServer::start(move |request, _| {
        let query: HashMap<String, String> = request
            .target
            .split_once('?')
            .map(|(_, q)| q)
            .unwrap_or_default()
            .split('&')
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| (k.to_string(), percent_decode_str(v).decode_utf8_lossy().into_owned()))
            .collect();
        if request.path() != "/federation/credentials" || request.method != "GET" {
            return Reply::json(404, r#"{"message":"no such operation"}"#);
        }
        if request.header("authorization").is_some() {
            return Reply::error(400, "InvalidRequestException", "GetRoleCredentials is not signed");
        }
        if request.header("x-amz-sso_bearer_token") != Some(token.as_str()) {
            return Reply::error(401, "UnauthorizedException", "Session token not found or invalid");
        }
        if query.get("account_id") != Some(&account) || query.get("role_name") != Some(&role) {
            return Reply::error(403, "ForbiddenException", "No access");
        }
        let issued = Issued::for_role(&format!("sso-{role}"));
        Reply::json(
            200,
            &format!(
                r#"{{"roleCredentials":{{"accessKeyId":"{}","secretAccessKey":"{}","sessionToken":"{}","expiration":{expiration_millis}}}}}"#,
                issued.access_key_id, issued.secret, issued.token
            ),
        )
    })
    .await
}

/// A fake SSO-OIDC: `CreateToken` with the refresh token grant, for this
/// client and refresh token, answering `new_token` valid for an hour and a
/// rotated refresh token.
pub async fn sso_oidc(client_id: &str, refresh_token: &str, new_token: &str) -> MockServer {
    let (client_id, refresh_token, new_token) = (
        client_id.to_string(),
        refresh_token.to_string(),
        new_token.to_string(),
    );
    MockServer::start(move |request, _| {
        if request.path() != "/token" || request.method != "POST" {
            return Reply::json(404, r#"{"message":"no such operation"}"#);
        }
        if request.header("authorization").is_some() {
            return Reply::error(400, "InvalidRequestException", "CreateToken is not signed");
        }
        let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap_or_default();
        let field = |k: &str| body.get(k).and_then(|v| v.as_str()).unwrap_or_default().to_string();
        if field("grantType") != "refresh_token"
            || field("clientId") != client_id
            || field("clientSecret").is_empty()
            || field("refreshToken") != refresh_token
        {
            return Reply::error(400, "InvalidGrantException", "bad refresh");
        }
        Reply::json(
            200,
            &format!(
                r#"{{"accessToken":"{new_token}","tokenType":"Bearer","expiresIn":3600,"refreshToken":"rotated-{refresh_token}"}}"#
            ),
        )
    })
    .await
}
