//! `setup`'s text: the verdict line, the advice, the files, the proof table.

use crate::report::SetupReport;

/// The text for people.
pub fn text(r: &SetupReport) -> String {
    let mut out = String::new();
    let mark = if r.verdict == crate::report::Verdict::Valid {
        "OK"
    } else {
        "FAILED"
    };
    out.push_str(&format!("{mark}: {}\n\n", r.summary));
    out.push_str(&format!(
        "Choices (defaults filled in):{}\n\nAdvice:\n",
        choices(r)
    ));
    for a in &r.advice {
        out.push_str(&format!("  - {a}\n"));
    }
    out.push('\n');
    if r.files.is_empty() {
        out.push_str("Files: none written (give --out DIR to write them).\n\n");
    } else {
        out.push_str("Files:\n");
        for f in &r.files {
            out.push_str(&format!("  {}  {}\n", f.path, f.holds));
        }
        out.push('\n');
    }
    out.push_str("Proof (each sample user's token under each generated configuration):\n");
    for c in &r.proof {
        let status = if c.pass { "pass" } else { "FAIL" };
        let outcome = match (c.verdict.as_str(), &c.role) {
            ("valid", Some(role)) => {
                let vars: Vec<String> = c
                    .session_variables
                    .iter()
                    .filter(|(k, _)| !k.eq_ignore_ascii_case("x-hasura-role"))
                    .map(|(k, v)| {
                        format!(
                            "{k}={}",
                            v.as_str().map_or_else(|| v.to_string(), str::to_string)
                        )
                    })
                    .collect();
                format!(
                    "accepted as {role} (allowed {}); {}",
                    c.allowed_roles.clone().unwrap_or_default().join(", "),
                    vars.join(", ")
                )
            }
            ("no_token", _) => "no token".to_string(),
            (v, _) => v.to_string(),
        };
        out.push_str(&format!(
            "  {status}  {:<4} {} token, {}: {outcome}\n",
            c.engine, c.token_use, c.case
        ));
        if let Some(m) = &c.message {
            out.push_str(&format!("        {m}\n"));
        }
    }
    out
}

/// The choices as the flags that would give them again.
fn choices(r: &SetupReport) -> String {
    let mut out = String::new();
    for (name, value) in &r.choices {
        if name == "cognito_pool" || name == "client_id" {
            continue;
        }
        let flag = format!("--{}", name.replace('_', "-"));
        match value {
            serde_json::Value::String(v) => out.push_str(&format!(" {flag} {v}")),
            serde_json::Value::Object(vars) => {
                for (var, from) in vars {
                    let from = from.as_str().unwrap_or_default();
                    out.push_str(&format!(" {flag} {var}={from}"));
                }
            }
            _ => {}
        }
    }
    out
}
