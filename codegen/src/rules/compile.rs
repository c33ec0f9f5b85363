//! Compiles an endpoint rule set into a Rust function: nested `if`s that
//! return the endpoint URL or the rule's error, calling the rule functions
//! of `sdkgen_runtime::endpoint_rules`.
//!
//! Types are tracked per scope: an optional parameter becomes a `&str`
//! inside `isSet(..)`, an `assign` binds a partition, URL or string. A
//! construct outside this subset is a generation error naming it.

use super::model::{Condition, Expr, Parameter, Rule, RuleSet};
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
    /// `&Partition`
    Partition,
    /// `Url`
    Url,
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

/// The `Params` struct and the `resolve` function for a rule set.
pub fn compile(rules: &RuleSet) -> Result<TokenStream, Error> {
    let fail = |what: String| Error::Unsupported {
        shape: "endpoint-rule-set-1.json".into(),
        what,
    };
    let rt = rt();
    let mut scope = Scope::default();
    let mut fields = Vec::new();
    let mut defaults = Vec::new();
    let mut from_builtins = Vec::new();
    let mut bindings = Vec::new();
    for (name, param) in &rules.parameters {
        let field = naming::field(name);
        let f = ident(&field);
        let doc = param
            .documentation
            .clone()
            .unwrap_or_else(|| format!("The `{name}` parameter."));
        let doc = format!(" {doc}");
        let (ty, default) = param_type(name, param).map_err(fail)?;
        match ty {
            Ty::Bool => {
                fields.push(quote!(#[doc = #doc] pub #f: bool,));
                let default = default.unwrap_or(false);
                defaults.push(quote!(#f: #default,));
                bindings.push(quote!(let #f = params.#f;));
                scope.names.insert(name.clone(), (field.clone(), Ty::Bool));
            }
            _ => {
                fields.push(quote!(#[doc = #doc] pub #f: Option<String>,));
                defaults.push(quote!(#f: None,));
                bindings.push(quote!(let #f = params.#f.as_deref();));
                scope
                    .names
                    .insert(name.clone(), (field.clone(), Ty::OptStr));
            }
        }
        let from = match (param.built_in.as_deref(), ty) {
            (Some("AWS::Region"), Ty::OptStr) => quote!(#f: builtins.region.map(str::to_string),),
            (Some("SDK::Endpoint"), Ty::OptStr) => {
                quote!(#f: builtins.endpoint.map(str::to_string),)
            }
            (Some("AWS::UseFIPS"), Ty::Bool) => quote!(#f: builtins.use_fips,),
            (Some("AWS::UseDualStack"), Ty::Bool) => quote!(#f: builtins.use_dual_stack,),
            (None, _) if !param.required || param.default.is_some() => quote!(),
            (built_in, _) => {
                return Err(fail(format!(
                    "parameter `{name}` (built-in {built_in:?}) has no value the client can supply"
                )));
            }
        };
        from_builtins.push(from);
    }
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
                Params {
                    #(#from_builtins)*
                    ..Params::default()
                }
            }
        }

        /// Resolves the endpoint URL for `params`, or the rule set's error.
        #[allow(unused_variables, clippy::collapsible_if, clippy::needless_return)]
        pub fn resolve(params: &Params) -> Result<String, #rt::ResolveError> {
            #(#bindings)*
            #body
            #fallthrough
        }

        /// [`resolve`] for the client's configuration.
        pub fn resolve_builtins(builtins: &#rt::BuiltIns<'_>) -> Result<String, #rt::ResolveError> {
            resolve(&Params::from_builtins(builtins))
        }
    })
}

fn param_type(name: &str, param: &Parameter) -> Result<(Ty, Option<bool>), String> {
    match param.kind.to_ascii_lowercase().as_str() {
        "boolean" => {
            let default = param.default.as_ref().and_then(|d| d.as_bool());
            if param.required && default.is_none() && param.built_in.is_none() {
                return Err(format!(
                    "required boolean parameter `{name}` without a default"
                ));
            }
            Ok((Ty::Bool, default))
        }
        "string" => {
            if param.default.is_some() {
                return Err(format!("string parameter `{name}` with a default"));
            }
            Ok((Ty::OptStr, None))
        }
        other => Err(format!("parameter `{name}` of type {other}")),
    }
}

/// Whether a list of rules returns in every case.
fn always_returns(rules: &[Rule]) -> bool {
    rules.iter().any(|rule| {
        rule.conditions().is_empty()
            && match rule {
                Rule::Tree { rules, .. } => always_returns(rules),
                _ => true,
            }
    })
}

fn compile_rules(rules: &[Rule], scope: &Scope) -> Result<TokenStream, String> {
    let mut out = TokenStream::new();
    for rule in rules {
        out.extend(compile_rule(rule, scope)?);
        // Anything after an unconditional rule is unreachable.
        if rule.conditions().is_empty() && always_returns(std::slice::from_ref(rule)) {
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
        openers.push(compile_condition(condition, &mut scope)?);
    }
    let rt = rt();
    let mut body = match rule {
        Rule::Endpoint { endpoint, .. } => {
            if !endpoint.headers.is_empty() || !endpoint.properties.is_empty() {
                return Err("endpoint headers or properties".into());
            }
            let url = compile_expr(&endpoint.url, &scope)?;
            let url = match url.ty {
                Ty::String => url.tokens,
                _ => {
                    let s = url.as_str()?;
                    quote!(#s.to_string())
                }
            };
            quote!(return Ok(#url);)
        }
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

enum Opener {
    If(TokenStream),
    IfLet(proc_macro2::Ident, TokenStream),
    Let(proc_macro2::Ident, TokenStream),
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
                Ty::OptStr => {
                    scope.names.insert(name.clone(), (rust.clone(), Ty::Str));
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
        Expr::Call { function, .. } => match function.as_str() {
            "aws.partition" => Some(Ty::Partition),
            "parseURL" => Some(Ty::Url),
            "substring" => Some(Ty::String),
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
            if ty == Ty::OptStr {
                return Err(format!("`{name}` is used without `isSet`"));
            }
            let id = ident(&rust);
            Ok(Compiled {
                tokens: quote!(#id),
                ty,
            })
        }
        Expr::Call { function, argv } => {
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
                    if let [Expr::Call { function, argv }] = argv.as_slice() {
                        if function == "isSet" {
                            if let [Expr::Ref { name }] = argv.as_slice() {
                                let (rust, ty) = scope
                                    .names
                                    .get(name)
                                    .cloned()
                                    .ok_or_else(|| format!("unknown reference `{name}`"))?;
                                let id = ident(&rust);
                                let set = if ty == Ty::OptStr {
                                    quote!(#id.is_none())
                                } else {
                                    quote!(false)
                                };
                                return Ok(Compiled {
                                    tokens: set,
                                    ty: Ty::Bool,
                                });
                            }
                        }
                    }
                    let a = args[0].as_bool()?;
                    Ok(Compiled {
                        tokens: quote!(!(#a)),
                        ty: Ty::Bool,
                    })
                }
                "isSet" => {
                    arity(1)?;
                    let t = &args[0].tokens;
                    let tokens = if args[0].ty == Ty::OptStr {
                        quote!(#t.is_some())
                    } else {
                        quote!(true)
                    };
                    Ok(Compiled {
                        tokens,
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
                "substring" => {
                    arity(4)?;
                    let input = args[0].as_str()?;
                    let (start, stop) = (&args[1].tokens, &args[2].tokens);
                    let reverse = args[3].as_bool()?;
                    Ok(Compiled {
                        tokens: quote!(#rt::substring(#input, #start, #stop, #reverse)),
                        ty: Ty::String,
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

fn get_attr(object: &Compiled, path: &str) -> Result<Compiled, String> {
    let o = &object.tokens;
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
        (ty, path) => return Err(format!("`getAttr` of `{path}` on {ty:?}")),
    };
    let f = ident(field);
    let tokens = match (object.ty, ty) {
        (Ty::Url, Ty::Str) => quote!(#o.#f.as_str()),
        _ => quote!(#o.#f),
    };
    Ok(Compiled { tokens, ty })
}

/// `"https://{Region}.{PartitionResult#dnsSuffix}"`: literals and
/// references joined at run time.
fn compile_template(text: &str, scope: &Scope) -> Result<Compiled, String> {
    let mut pieces: Vec<TokenStream> = Vec::new();
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
            rest = &after[end + 1..];
        } else {
            let c = rest.chars().next().expect("not empty");
            literal.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    if pieces.is_empty() {
        return Ok(Compiled {
            tokens: quote!(#literal),
            ty: Ty::Str,
        });
    }
    if !literal.is_empty() {
        pieces.push(quote!(#literal));
    }
    Ok(Compiled {
        tokens: quote!([#(#pieces),*].concat()),
        ty: Ty::String,
    })
}
