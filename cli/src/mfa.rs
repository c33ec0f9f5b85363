//! MFA codes for roles that require one: asked on the terminal, as the AWS
//! CLI asks; with no terminal (a script, CI), the call fails saying why
//! instead of waiting for input that never comes.

use chime_sdk_voice::{MfaRequest, MfaTokenFn};
use std::io::{BufRead, IsTerminal, Write};

pub fn terminal_prompt() -> MfaTokenFn {
    MfaTokenFn::new(ask)
}

fn ask(request: &MfaRequest) -> Result<String, String> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(format!(
            "profile {:?} needs an MFA code for {}, and there is no terminal to ask for one on",
            request.profile, request.serial
        ));
    }
    let mut stderr = std::io::stderr();
    let _ = write!(stderr, "Enter MFA code for {}: ", request.serial);
    let _ = stderr.flush();
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .map_err(|e| format!("cannot read the MFA code: {e}"))?;
    let code = line.trim();
    if code.is_empty() {
        return Err("no MFA code was entered".into());
    }
    Ok(code.to_string())
}
