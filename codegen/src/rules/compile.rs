//! Compiles an endpoint rule set into a Rust function: nested `if`s that
//! return the endpoint URL or the rule's error, calling the rule functions
//! of `sdkgen_runtime::endpoint_rules`.
//!
//! Types are tracked per scope: an optional parameter becomes a `&str`
//! inside `isSet(..)`, an `assign` binds a partition, URL or string. A
//! construct outside this subset is a generation error naming it.

use super::model::{Condition, EndpointSpec, Expr, Parameter, Rule, RuleSet};
use crate::error::Error;
use crate::naming::{self, ident};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

/// The Rust type of a rules value, as the generated code holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ty {
    /// `&str`
    Str,
    /// `String`
    String,
    Bool,
    Int,
    /// `Option<&str>`: an optional parameter not yet checked by `isSet`.
    OptStr,
    /// `Option<bool>`: an optional boolean parameter without a default.
    OptBool,
    /// `Option<&[String]>`: an optional `stringArray` parameter not yet
    /// checked by `isSet`.
    OptStrArray,
    /// `&[String]`
    StrArray,
    /// `&Partition`
    Partition,
    /// `Url`
    Url,
    /// `Arn`
    Arn,
}

/// A compiled expression.
struct Compiled {
    tokens: TokenStream,
    ty: Ty,
}

impl Compiled {
    /// As `&str`.
    fn as_str(&self) -> Result<TokenStream, String> {
        let t = &self.tokens;
        match self.ty {
            Ty::Str => Ok(t.clone()),
            Ty::String => Ok(quote!((#t).as_str())),
            other => Err(format!("expected a string, found {other:?}")),
        }
    }

    fn as_bool(&self) -> Result<TokenStream, String> {
        match self.ty {
            Ty::Bool => Ok(self.tokens.clone()),
            other => Err(format!("expected a boolean, found {other:?}")),
        }
    }
}

/// Names in scope: rules name → (Rust name, type).
#[derive(Clone, Default)]
struct Scope {
    names: BTreeMap<String, (String, Ty)>,
}

fn rt() -> TokenStream {
    quote!(sdkgen_runtime::endpoint_rules)
}

/// The `Params` struct and the `resolve` function for a rule set; the
/// parameters named in `client_context` (the model's
/// `clientContextParams`) that no built-in binds come from the
/// configuration by their own names.
pub fn compile(rules: &RuleSet, client_context: &[String]) -> Result<TokenStream, Error> {
    let fail = |what: String| Error::Unsupported {
        shape: "endpoint-rule-set-1.json".into(),
        what,
    };
    let rt = rt();
    let mut scope = Scope::default();
    let mut fields = Vec::new();
    let mut defaults = Vec::new();
    let mut from_builtins = Vec::new();
    let mut setters = Vec::new();
    let mut bindings = Vec::new();
    // (`builtIn` name, parameter name) of the built-ins beyond the four
    // every rule set has, and of the client context parameters (whose
    // configuration name is their own).
    let mut other_builtins = Vec::new();
    for (name, param) in &rules.parameters {
        let field = naming::field(name);
        let f = ident(&field);
        let doc = param
            .documentation
            .clone()
            .unwrap_or_else(|| format!("The `{name}` parameter."));
        let doc = format!(" {doc}");
        let required =
            || quote!(#rt::ResolveError::new(concat!("the `", #name, "` parameter is required")));
        let (ty, default) = param_type(name, param).map_err(fail)?;
        let scope_ty = match (ty, &default) {
            (Ty::Bool, Some(default)) => {
                let default = default.as_bool().unwrap_or(false);
                fields.push(quote!(#[doc = #doc] pub #f: bool,));
                defaults.push(quote!(#f: #default,));
                bindings.push(quote!(let #f = params.#f;));
                setters.push(quote!((#name, #rt::EndpointParam::Bool(v)) => { self.#f = v; true }));
                Ty::Bool
            }
            (Ty::Bool, None) => {
                fields.push(quote!(#[doc = #doc] pub #f: Option<bool>,));
                defaults.push(quote!(#f: None,));
                setters.push(
                    quote!((#name, #rt::EndpointParam::Bool(v)) => { self.#f = Some(v); true }),
                );
                if param.required {
                    let error = required();
                    bindings.push(quote!(let #f = params.#f.ok_or_else(|| #error)?;));
                    Ty::Bool
                } else {
                    bindings.push(quote!(let #f = params.#f;));
                    Ty::OptBool
                }
            }
            (Ty::OptStrArray, _) => {
                fields.push(quote!(#[doc = #doc] pub #f: Option<Vec<String>>,));
                defaults.push(quote!(#f: None,));
                setters.push(
                    quote!((#name, #rt::EndpointParam::StringArray(v)) => { self.#f = Some(v); true }),
                );
                if param.required {
                    let error = required();
                    bindings.push(quote!(let #f = params.#f.as_deref().ok_or_else(|| #error)?;));
                    Ty::StrArray
                } else {
                    bindings.push(quote!(let #f = params.#f.as_deref();));
                    Ty::OptStrArray
                }
            }
            (_, default) => {
                fields.push(quote!(#[doc = #doc] pub #f: Option<String>,));
                defaults.push(quote!(#f: None,));
                setters.push(
                    quote!((#name, #rt::EndpointParam::String(v)) => { self.#f = Some(v); true }),
                );
                match default.as_ref().and_then(|d| d.as_str()) {
                    Some(default) => {
                        bindings.push(quote!(let #f = params.#f.as_deref().unwrap_or(#default);));
                        Ty::Str
                    }
                    None if param.required => {
                        let error = required();
                        bindings
                            .push(quote!(let #f = params.#f.as_deref().ok_or_else(|| #error)?;));
                        Ty::Str
                    }
                    None => {
                        bindings.push(quote!(let #f = params.#f.as_deref();));
                        Ty::OptStr
                    }
                }
            }
        };
        scope.names.insert(name.clone(), (field.clone(), scope_ty));
        let option = matches!(scope_ty, Ty::OptBool) || (ty == Ty::Bool && default.is_none());
        let from = match (param.built_in.as_deref(), ty) {
            (Some("AWS::Region"), Ty::OptStr) => quote!(#f: builtins.region.map(str::to_string),),
            (Some("SDK::Endpoint"), Ty::OptStr) => {
                quote!(#f: builtins.endpoint.map(str::to_string),)
            }
            (Some("AWS::UseFIPS"), Ty::Bool) if option => quote!(#f: Some(builtins.use_fips),),
            (Some("AWS::UseFIPS"), Ty::Bool) => quote!(#f: builtins.use_fips,),
            (Some("AWS::UseDualStack"), Ty::Bool) if option => {
                quote!(#f: Some(builtins.use_dual_stack),)
            }
            (Some("AWS::UseDualStack"), Ty::Bool) => quote!(#f: builtins.use_dual_stack,),
            // A client context parameter: from the configuration by its
            // own name, which an operation's value overrides
            // (`staticContextParams` win in botocore too).
            (None, _) if client_context.contains(name) => {
                other_builtins.push(quote!((#name, #name),));
                quote!()
            }
            // Set by the operation (`staticContextParams`, `contextParam`),
            // or left to its default.
            (None, _) => quote!(),
            // Any other built-in comes by name from the configuration, when
            // it sets one; else the parameter keeps its default.
            (Some(built_in), _) if !param.required || param.default.is_some() => {
                other_builtins.push(quote!((#built_in, #name),));
                quote!()
            }
            (built_in, _) => {
                return Err(fail(format!(
                    "parameter `{name}` (built-in {built_in:?}) has no value the client can supply"
                )));
            }
        };
        from_builtins.push(from);
    }
    let from_builtins_body = if other_builtins.is_empty() {
        quote! {
            Params {
                #(#from_builtins)*
                ..Params::default()
            }
        }
    } else {
        quote! {
            let mut params = Params {
                #(#from_builtins)*
                ..Params::default()
            };
            for (built_in, name) in [#(#other_builtins)*] {
                if let Some(value) = builtins.get(built_in) {
                    params.set(name, value.clone());
                }
            }
            params
        }
    };
    let body = compile_rules(&rules.rules, &scope).map_err(fail)?;
    let fallthrough =
        (!always_returns(&rules.rules)).then(|| quote!(Err(#rt::ResolveError::no_rule_matched())));
    Ok(quote! {
        /// The parameters of the endpoint rules.
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub struct Params {
            #(#fields)*
        }

        // Whether a derive would do depends on the rule set's defaults.
        #[allow(clippy::derivable_impls)]
        impl Default for Params {
            fn default() -> Self {
                Params { #(#defaults)* }
            }
        }

        impl Params {
            /// The parameters the client configuration supplies.
            #[allow(clippy::needless_update)]
            pub fn from_builtins(builtins: &#rt::BuiltIns<'_>) -> Self {
                #from_builtins_body
            }

            /// Sets a parameter an operation gives (`staticContextParams`,
            /// `contextParam`), and says whether the rules have it: a name
            /// or type they do not have changes nothing.
            pub fn set(&mut self, name: &str, value: #rt::EndpointParam) -> bool {
                match (name, value) {
                    #(#setters)*
                    _ => false,
                }
            }
        }

        /// Resolves the endpoint for `params`, or the rule set's error.
        #[allow(unused_variables, clippy::collapsible_if, clippy::needless_return)]
        pub fn resolve(params: &Params) -> Result<#rt::ResolvedEndpoint, #rt::ResolveError> {
            #(#bindings)*
            #body
            #fallthrough
        }

        /// [`resolve`] for the client's configuration and the parameters an
        /// operation gives.
        pub fn resolve_builtins(
            builtins: &#rt::BuiltIns<'_>,
            operation: &[(&'static str, #rt::EndpointParam)],
        ) -> Result<#rt::ResolvedEndpoint, #rt::ResolveError> {
            let mut params = Params::from_builtins(builtins);
            for (name, value) in operation {
                params.set(name, value.clone());
            }
            resolve(&params)
        }
    })
}

/// A parameter's type, and its default.
fn param_type(name: &str, param: &Parameter) -> Result<(Ty, Option<serde_json::Value>), String> {
    match param.kind.to_ascii_lowercase().as_str() {
        "boolean" => Ok((Ty::Bool, param.default.clone().filter(|d| d.is_boolean()))),
        "string" => Ok((Ty::OptStr, param.default.clone().filter(|d| d.is_string()))),
        "stringarray" if param.default.is_none() => Ok((Ty::OptStrArray, None)),
        other => Err(format!("parameter `{name}` of type {other}")),
    }
}

/// Whether a list of rules returns in every case.
/// Whether a rule's conditions always hold: none, or only assignments of
/// a value that is always there (`uriEncode`), which bind a name and test
/// nothing.
fn unconditional(rule: &Rule) -> bool {
    rule.conditions()
        .iter()
        .all(|c| c.assign.is_some() && c.function == "uriEncode")
}

/// Whether one of `rules` always returns: an unconditional rule does,
/// a tree included (a tree entered is the end of resolution, with its own
/// error when none of its rules matches).
fn always_returns(rules: &[Rule]) -> bool {
    rules.iter().any(unconditional)
}

fn compile_rules(rules: &[Rule], scope: &Scope) -> Result<TokenStream, String> {
    let mut out = TokenStream::new();
    for rule in rules {
        out.extend(compile_rule(rule, scope)?);
        // Anything after an unconditional rule is unreachable.
        if unconditional(rule) {
            break;
        }
    }
    Ok(out)
}

fn compile_rule(rule: &Rule, scope: &Scope) -> Result<TokenStream, String> {
    let mut scope = scope.clone();
    // Each condition opens a block; they are built outside in.
    let mut openers = Vec::new();
    for condition in rule.conditions() {
        openers.extend(narrow_optional_arguments(condition, &mut scope)?);
        openers.push(compile_condition(condition, &mut scope)?);
    }
    let rt = rt();
    let mut body = match rule {
        Rule::Endpoint { endpoint, .. } => compile_endpoint(endpoint, &scope)?,
        Rule::Error { error, .. } => {
            let message = compile_expr(error, &scope)?.as_str()?;
            quote!(return Err(#rt::ResolveError::new(#message));)
        }
        Rule::Tree { rules, .. } => {
            let inner = compile_rules(rules, &scope)?;
            let fallthrough = (!always_returns(rules))
                .then(|| quote!(return Err(#rt::ResolveError::no_rule_matched());));
            quote!(#inner #fallthrough)
        }
    };
    for opener in openers.into_iter().rev() {
        body = match opener {
            Opener::If(cond) => quote!(if #cond { #body }),
            Opener::IfLet(name, expr) => quote!(if let Some(#name) = #expr { #body }),
            Opener::Let(name, expr) => quote!({ let #name = #expr; #body }),
        };
    }
    Ok(body)
}

/// `return Ok(endpoint)`: its URL, its authentication schemes (each a
/// signing name or region it imposes; the runtime picks the one to sign
/// with), its headers, and its other properties (`backend`,
/// `metricValues`), kept as the rules give them. The endpoint is a
/// borrowed `EndpointTemplate` that the runtime makes owned, so that each
/// of a rule set's endpoints is a few stores, not allocations of its own.
fn compile_endpoint(endpoint: &EndpointSpec, scope: &Scope) -> Result<TokenStream, String> {
    let rt = rt();
    let url = expr_pieces(&endpoint.url, scope)?;
    let schemes = match endpoint.properties.get("authSchemes") {
        None => Vec::new(),
        Some(serde_json::Value::Array(schemes)) => schemes
            .iter()
            .map(|scheme| auth_scheme(scheme, scope))
            .collect::<Result<_, _>>()?,
        Some(other) => return Err(format!("`authSchemes` {other}")),
    };
    let mut headers = Vec::new();
    for (name, values) in &endpoint.headers {
        for value in values {
            let value = expr_pieces(value, scope)?;
            headers.push(quote!((#name, #value)));
        }
    }
    let properties = endpoint
        .properties
        .iter()
        .filter(|(name, _)| *name != "authSchemes")
        .map(|(name, value)| {
            let value = property(value, scope)?;
            Ok(quote!((#name, #value)))
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(quote! {
        return Ok(#rt::EndpointTemplate {
            url: #url,
            auth_schemes: &[#(#schemes),*],
            headers: &[#(#headers),*],
            properties: &[#(#properties),*],
        }.build());
    })
}

/// An endpoint property's value as a `PropertyTemplate`; strings are
/// templates.
fn property(value: &serde_json::Value, scope: &Scope) -> Result<TokenStream, String> {
    let rt = rt();
    Ok(match value {
        serde_json::Value::String(template) => {
            let pieces = pieces(template, scope)?;
            quote!(#rt::PropertyTemplate::String(#pieces))
        }
        serde_json::Value::Bool(b) => quote!(#rt::PropertyTemplate::Bool(#b)),
        serde_json::Value::Array(items) => {
            let items = items
                .iter()
                .map(|item| property(item, scope))
                .collect::<Result<Vec<_>, _>>()?;
            quote!(#rt::PropertyTemplate::List(&[#(#items),*]))
        }
        serde_json::Value::Object(entries) => {
            let entries = entries
                .iter()
                .map(|(name, value)| {
                    let value = property(value, scope)?;
                    Ok(quote!((#name, #value)))
                })
                .collect::<Result<Vec<_>, String>>()?;
            quote!(#rt::PropertyTemplate::Map(&[#(#entries),*]))
        }
        other => return Err(format!("the endpoint property value {other}")),
    })
}

/// One `authSchemes` entry as an `AuthTemplate`.
fn auth_scheme(scheme: &serde_json::Value, scope: &Scope) -> Result<TokenStream, String> {
    let rt = rt();
    let name = scheme
        .get("name")
        .and_then(|v| v.as_str())
        .ok_or("an authentication scheme without a name")?;
    let text = |key: &str| -> Result<TokenStream, String> {
        match scheme.get(key).and_then(|v| v.as_str()) {
            Some(template) => {
                let value = pieces(template, scope)?;
                Ok(quote!(Some(#value)))
            }
            None => Ok(quote!(None)),
        }
    };
    let (signing_name, signing_region) = (text("signingName")?, text("signingRegion")?);
    let region_set = match scheme.get("signingRegionSet") {
        None => Vec::new(),
        Some(serde_json::Value::Array(regions)) => regions
            .iter()
            .map(|r| match r.as_str() {
                Some(template) => pieces(template, scope),
                None => Err(format!("a `signingRegionSet` entry {r}")),
            })
            .collect::<Result<_, _>>()?,
        Some(other) => return Err(format!("`signingRegionSet` {other}")),
    };
    let disable_double_encoding = match scheme.get("disableDoubleEncoding") {
        None => false,
        Some(serde_json::Value::Bool(b)) => *b,
        Some(other) => return Err(format!("`disableDoubleEncoding` {other}")),
    };
    Ok(quote! {
        #rt::AuthTemplate {
            name: #name,
            signing_name: #signing_name,
            signing_region: #signing_region,
            signing_region_set: &[#(#region_set),*],
            disable_double_encoding: #disable_double_encoding,
        }
    })
}

/// A string template as the runtime's `Pieces`: `&["https://", bucket, ...]`.
fn pieces(text: &str, scope: &Scope) -> Result<TokenStream, String> {
    let (pieces, _) = template_pieces(text, scope)?;
    Ok(quote!(&[#(#pieces),*]))
}

/// A string expression (a template, or a reference such as `Endpoint`) as
/// `Pieces`.
fn expr_pieces(expr: &Expr, scope: &Scope) -> Result<TokenStream, String> {
    match expr {
        Expr::Str(text) => pieces(text, scope),
        other => {
            let value = compile_expr(other, scope)?.as_str()?;
            Ok(quote!(&[#value]))
        }
    }
}

enum Opener {
    If(TokenStream),
    IfLet(proc_macro2::Ident, TokenStream),
    Let(proc_macro2::Ident, TokenStream),
}

/// An optional parameter passed to a function as it is (`aws.partition(Region)`
/// with no `isSet(Region)` before it): an unset value makes the condition
/// false, as the rules engine specifies, so the condition is entered only
/// with the value set, and the parameter is narrowed from there on.
fn narrow_optional_arguments(
    condition: &Condition,
    scope: &mut Scope,
) -> Result<Vec<Opener>, String> {
    if condition.function == "isSet" {
        return Ok(Vec::new());
    }
    let mut names = Vec::new();
    for arg in &condition.argv {
        optional_refs(arg, scope, &mut names);
    }
    let mut openers = Vec::new();
    for name in names {
        let (rust, ty) = scope
            .names
            .get(&name)
            .cloned()
            .ok_or_else(|| format!("unknown reference `{name}`"))?;
        scope.names.insert(name, (rust.clone(), narrowed(ty)));
        let id = ident(&rust);
        openers.push(Opener::IfLet(id.clone(), quote!(#id)));
    }
    Ok(openers)
}

/// The optional parameters an expression uses as values (not inside
/// `isSet`), in order and once each.
fn optional_refs(expr: &Expr, scope: &Scope, out: &mut Vec<String>) {
    match expr {
        Expr::Ref { name } => {
            let optional = scope
                .names
                .get(name)
                .is_some_and(|(_, ty)| matches!(ty, Ty::OptStr | Ty::OptBool | Ty::OptStrArray));
            if optional && !out.contains(name) {
                out.push(name.clone());
            }
        }
        Expr::Call { function, argv } if function != "isSet" => {
            for arg in argv {
                optional_refs(arg, scope, out);
            }
        }
        _ => {}
    }
}

fn compile_condition(condition: &Condition, scope: &mut Scope) -> Result<Opener, String> {
    // `isSet(ref)`: the reference is a `&str` inside the block.
    if condition.function == "isSet" && condition.assign.is_none() {
        if let [Expr::Ref { name }] = condition.argv.as_slice() {
            let (rust, ty) = scope
                .names
                .get(name)
                .cloned()
                .ok_or_else(|| format!("unknown reference `{name}`"))?;
            return match ty {
                Ty::OptStr | Ty::OptBool | Ty::OptStrArray => {
                    scope
                        .names
                        .insert(name.clone(), (rust.clone(), narrowed(ty)));
                    let id = ident(&rust);
                    Ok(Opener::IfLet(id.clone(), quote!(#id)))
                }
                // Booleans and narrowed strings are always set.
                _ => Ok(Opener::If(quote!(true))),
            };
        }
    }
    let call = Expr::Call {
        function: condition.function.clone(),
        argv: condition.argv.clone(),
    };
    let compiled = compile_expr(&call, scope)?;
    match &condition.assign {
        None => match compiled.ty {
            Ty::Bool => Ok(Opener::If(compiled.tokens)),
            _ => {
                let t = compiled.tokens;
                Ok(Opener::If(quote!((#t).is_some())))
            }
        },
        Some(name) => {
            let rust = naming::field(name);
            let id = ident(&rust);
            let (opener, ty) = match option_payload(&call) {
                Some(ty) => (Opener::IfLet(id, compiled.tokens), ty),
                None => (Opener::Let(id, compiled.tokens), compiled.ty),
            };
            scope.names.insert(name.clone(), (rust, ty));
            Ok(opener)
        }
    }
}

/// The payload type of functions that return an option.
fn option_payload(call: &Expr) -> Option<Ty> {
    match call {
        Expr::Call { function, argv } => match function.as_str() {
            "aws.partition" => Some(Ty::Partition),
            "parseURL" => Some(Ty::Url),
            "aws.parseArn" => Some(Ty::Arn),
            "substring" => Some(Ty::Str),
            // An index (`resourceId[0]`) may be past the end.
            "getAttr" => match argv.get(1) {
                Some(Expr::Str(path)) if path.contains('[') => Some(Ty::Str),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

fn compile_expr(expr: &Expr, scope: &Scope) -> Result<Compiled, String> {
    let rt = rt();
    match expr {
        Expr::Bool(b) => Ok(Compiled {
            tokens: quote!(#b),
            ty: Ty::Bool,
        }),
        Expr::Int(i) => {
            let i = usize::try_from(*i).map_err(|_| format!("negative index {i}"))?;
            Ok(Compiled {
                tokens: quote!(#i),
                ty: Ty::Int,
            })
        }
        Expr::Str(text) => compile_template(text, scope),
        Expr::Array(_) => Err("array literals".into()),
        Expr::Ref { name } => {
            let (rust, ty) = scope
                .names
                .get(name)
                .cloned()
                .ok_or_else(|| format!("unknown reference `{name}`"))?;
            if matches!(ty, Ty::OptStr | Ty::OptBool) {
                return Err(format!("`{name}` is used without `isSet`"));
            }
            let id = ident(&rust);
            Ok(Compiled {
                tokens: quote!(#id),
                ty,
            })
        }
        Expr::Call { function, argv } => {
            // `isSet(ref)` and `not(isSet(ref))` look at an optional
            // parameter without using its value.
            if let Some(set) = is_set(function, argv, scope)? {
                return Ok(Compiled {
                    tokens: set,
                    ty: Ty::Bool,
                });
            }
            // `isSet(f(..))` of a function that may give nothing
            // (`parseURL`, `aws.parseArn`, an index past the end).
            if let Some((negated, inner)) = is_set_of_call(function, argv) {
                if option_payload(inner).is_none() {
                    return Err(format!("`isSet` of `{inner:?}`, which always has a value"));
                }
                let t = compile_expr(inner, scope)?.tokens;
                let tokens = if negated {
                    quote!((#t).is_none())
                } else {
                    quote!((#t).is_some())
                };
                return Ok(Compiled {
                    tokens,
                    ty: Ty::Bool,
                });
            }
            let args = argv
                .iter()
                .map(|a| compile_expr(a, scope))
                .collect::<Result<Vec<_>, _>>()?;
            let arity = |n: usize| {
                if args.len() == n {
                    Ok(())
                } else {
                    Err(format!("`{function}` takes {n} arguments"))
                }
            };
            match function.as_str() {
                "booleanEquals" => {
                    arity(2)?;
                    let (a, b) = (args[0].as_bool()?, args[1].as_bool()?);
                    Ok(Compiled {
                        tokens: quote!(#rt::boolean_equals(#a, #b)),
                        ty: Ty::Bool,
                    })
                }
                "stringEquals" => {
                    arity(2)?;
                    let (a, b) = (args[0].as_str()?, args[1].as_str()?);
                    Ok(Compiled {
                        tokens: quote!(#rt::string_equals(#a, #b)),
                        ty: Ty::Bool,
                    })
                }
                "not" => {
                    arity(1)?;
                    let a = args[0].as_bool()?;
                    Ok(Compiled {
                        tokens: quote!(!(#a)),
                        ty: Ty::Bool,
                    })
                }
                "aws.partition" => {
                    arity(1)?;
                    let region = args[0].as_str()?;
                    Ok(Compiled {
                        tokens: quote!(#rt::aws_partition(#region, &crate::partitions::PARTITIONS)),
                        ty: Ty::Partition,
                    })
                }
                "aws.parseArn" => {
                    arity(1)?;
                    let arn = args[0].as_str()?;
                    Ok(Compiled {
                        tokens: quote!(#rt::parse_arn(#arn)),
                        ty: Ty::Arn,
                    })
                }
                "parseURL" => {
                    arity(1)?;
                    let url = args[0].as_str()?;
                    Ok(Compiled {
                        tokens: quote!(#rt::parse_url(#url)),
                        ty: Ty::Url,
                    })
                }
                "isValidHostLabel" => {
                    arity(2)?;
                    let (label, sub) = (args[0].as_str()?, args[1].as_bool()?);
                    Ok(Compiled {
                        tokens: quote!(#rt::is_valid_host_label(#label, #sub)),
                        ty: Ty::Bool,
                    })
                }
                "aws.isVirtualHostableS3Bucket" => {
                    arity(2)?;
                    let (bucket, sub) = (args[0].as_str()?, args[1].as_bool()?);
                    Ok(Compiled {
                        tokens: quote!(#rt::is_virtual_hostable_s3_bucket(#bucket, #sub)),
                        ty: Ty::Bool,
                    })
                }
                "substring" => {
                    arity(4)?;
                    let input = args[0].as_str()?;
                    let (start, stop) = (&args[1].tokens, &args[2].tokens);
                    let reverse = args[3].as_bool()?;
                    Ok(Compiled {
                        tokens: quote!(#rt::substring(#input, #start, #stop, #reverse)),
                        ty: Ty::Str,
                    })
                }
                "uriEncode" => {
                    arity(1)?;
                    let value = args[0].as_str()?;
                    Ok(Compiled {
                        tokens: quote!(#rt::uri_encode(#value)),
                        ty: Ty::String,
                    })
                }
                "getAttr" => {
                    arity(2)?;
                    let Expr::Str(path) = &argv[1] else {
                        return Err("`getAttr` with a computed path".into());
                    };
                    get_attr(&args[0], path)
                }
                other => Err(format!("the `{other}` function")),
            }
        }
    }
}

/// `isSet(ref)` (`Some(tokens)`), `not(isSet(ref))`, or `None` for any
/// other call.
fn is_set(function: &str, argv: &[Expr], scope: &Scope) -> Result<Option<TokenStream>, String> {
    let (negated, argv) = match (function, argv) {
        ("isSet", argv) => (false, argv),
        ("not", [Expr::Call { function, argv }]) if function == "isSet" => (true, argv.as_slice()),
        _ => return Ok(None),
    };
    let [Expr::Ref { name }] = argv else {
        return Ok(None);
    };
    let (rust, ty) = scope
        .names
        .get(name)
        .cloned()
        .ok_or_else(|| format!("unknown reference `{name}`"))?;
    let id = ident(&rust);
    Ok(Some(match (ty, negated) {
        (Ty::OptStr | Ty::OptBool | Ty::OptStrArray, false) => quote!(#id.is_some()),
        (Ty::OptStr | Ty::OptBool | Ty::OptStrArray, true) => quote!(#id.is_none()),
        // Anything else is always set.
        (_, negated) => {
            let set = !negated;
            quote!(#set)
        }
    }))
}

/// `isSet(f(..))` or `not(isSet(f(..)))`: whether negated, and the call.
fn is_set_of_call<'e>(function: &str, argv: &'e [Expr]) -> Option<(bool, &'e Expr)> {
    match (function, argv) {
        ("isSet", [inner @ Expr::Call { .. }]) => Some((false, inner)),
        ("not", [Expr::Call { function, argv }]) if function == "isSet" => match argv.as_slice() {
            [inner @ Expr::Call { .. }] => Some((true, inner)),
            _ => None,
        },
        _ => None,
    }
}

/// The type an optional reference has once it is known to be set.
fn narrowed(ty: Ty) -> Ty {
    match ty {
        Ty::OptStr => Ty::Str,
        Ty::OptStrArray => Ty::StrArray,
        _ => Ty::Bool,
    }
}

fn get_attr(object: &Compiled, path: &str) -> Result<Compiled, String> {
    let o = &object.tokens;
    // `[0]` of a string array: the element, if there is one.
    if object.ty == Ty::StrArray {
        let index: usize = path
            .strip_prefix('[')
            .and_then(|p| p.strip_suffix(']'))
            .and_then(|i| i.parse().ok())
            .ok_or_else(|| format!("`getAttr` of `{path}` on a string array"))?;
        let rt = rt();
        return Ok(Compiled {
            tokens: quote!(#rt::index(#o, #index)),
            ty: Ty::OptStr,
        });
    }
    if let (Ty::Arn, Some((list, index))) = (object.ty, path.split_once('[')) {
        let index: usize = index
            .trim_end_matches(']')
            .parse()
            .map_err(|_| format!("`getAttr` of `{path}`"))?;
        if list != "resourceId" {
            return Err(format!("`getAttr` of `{path}` on an ARN"));
        }
        let rt = rt();
        return Ok(Compiled {
            tokens: quote!(#rt::index(&#o.resource_id, #index)),
            ty: Ty::OptStr,
        });
    }
    let (field, ty) = match (object.ty, path) {
        (Ty::Partition, "name") => ("name", Ty::Str),
        (Ty::Partition, "dnsSuffix") => ("dns_suffix", Ty::Str),
        (Ty::Partition, "dualStackDnsSuffix") => ("dual_stack_dns_suffix", Ty::Str),
        (Ty::Partition, "supportsFIPS") => ("supports_fips", Ty::Bool),
        (Ty::Partition, "supportsDualStack") => ("supports_dual_stack", Ty::Bool),
        (Ty::Partition, "implicitGlobalRegion") => ("implicit_global_region", Ty::Str),
        (Ty::Url, "scheme") => ("scheme", Ty::Str),
        (Ty::Url, "authority") => ("authority", Ty::Str),
        (Ty::Url, "path") => ("path", Ty::Str),
        (Ty::Url, "normalizedPath") => ("normalized_path", Ty::Str),
        (Ty::Url, "isIp") => ("is_ip", Ty::Bool),
        (Ty::Arn, "partition") => ("partition", Ty::Str),
        (Ty::Arn, "service") => ("service", Ty::Str),
        (Ty::Arn, "region") => ("region", Ty::Str),
        (Ty::Arn, "accountId") => ("account_id", Ty::Str),
        (ty, path) => return Err(format!("`getAttr` of `{path}` on {ty:?}")),
    };
    let f = ident(field);
    let tokens = match (object.ty, path) {
        (Ty::Url, "normalizedPath") => quote!(&*#o.#f),
        _ => quote!(#o.#f),
    };
    Ok(Compiled { tokens, ty })
}

/// `"https://{Region}.{PartitionResult#dnsSuffix}"`: literals and
/// references joined at run time.
fn compile_template(text: &str, scope: &Scope) -> Result<Compiled, String> {
    let (pieces, references) = template_pieces(text, scope)?;
    if !references {
        let literal = pieces.into_iter().next().unwrap_or_else(|| quote!(""));
        return Ok(Compiled {
            tokens: literal,
            ty: Ty::Str,
        });
    }
    Ok(Compiled {
        tokens: quote!([#(#pieces),*].concat()),
        ty: Ty::String,
    })
}

/// A template's pieces in order: its literal runs (with `{{` and `}}`
/// unescaped) and the `&str` of each reference; and whether it has a
/// reference.
fn template_pieces(text: &str, scope: &Scope) -> Result<(Vec<TokenStream>, bool), String> {
    let mut pieces: Vec<TokenStream> = Vec::new();
    let mut references = false;
    let mut literal = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("{{") {
            literal.push('{');
            rest = after;
        } else if let Some(after) = rest.strip_prefix("}}") {
            literal.push('}');
            rest = after;
        } else if let Some(after) = rest.strip_prefix('{') {
            let end = after
                .find('}')
                .ok_or_else(|| format!("unclosed `{{` in {text:?}"))?;
            let reference = &after[..end];
            if !literal.is_empty() {
                pieces.push(quote!(#literal));
                literal.clear();
            }
            let value = match reference.split_once('#') {
                Some((name, path)) => {
                    let object = compile_expr(
                        &Expr::Ref {
                            name: name.to_string(),
                        },
                        scope,
                    )?;
                    get_attr(&object, path)?
                }
                None => compile_expr(
                    &Expr::Ref {
                        name: reference.to_string(),
                    },
                    scope,
                )?,
            };
            pieces.push(value.as_str()?);
            references = true;
            rest = &after[end + 1..];
        } else {
            let c = rest.chars().next().expect("not empty");
            literal.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    if !literal.is_empty() {
        pieces.push(quote!(#literal));
    }
    Ok((pieces, references))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A rule set with a built-in, a parameter only operations set, and a
    /// client context parameter without a built-in.
    fn rules() -> RuleSet {
        serde_json::from_str(
            r#"{
                "version": "1.0",
                "parameters": {
                    "Region": {"type": "String", "builtIn": "AWS::Region"},
                    "Bucket": {"type": "String"},
                    "DisableSession": {"type": "Boolean"}
                },
                "rules": [{"type": "error", "conditions": [], "error": "none"}]
            }"#,
        )
        .unwrap()
    }

    /// The `(configuration name, parameter)` pairs `from_builtins` reads by
    /// name, as the generated code lists them.
    fn read_by_name(client_context: &[String]) -> String {
        let code = compile(&rules(), client_context).unwrap().to_string();
        let start = code.find("fn from_builtins").unwrap();
        let end = code.find("fn set").unwrap();
        code[start..end].to_string()
    }

    #[test]
    fn a_client_context_parameter_comes_from_the_configuration_by_its_name() {
        let with = read_by_name(&["DisableSession".to_string()]);
        assert!(
            with.contains(r#"("DisableSession" , "DisableSession")"#),
            "{with}"
        );
        // Not one the model does not list, nor one only operations set.
        let without = read_by_name(&[]);
        assert!(!without.contains("DisableSession"), "{without}");
        assert!(!with.contains("Bucket"), "{with}");
    }
}
