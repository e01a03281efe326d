//! network-uri's `parseURI` (RFC 3986 `URI`: a scheme, `:`, a hier-part, an optional query and
//! fragment), which hs-jose applies to every `StringOrURI` that contains a `:` (`iss`, `sub`,
//! `aud`, the configuration's `issuer` and `audience`). `http://host:abc` (a port that is not
//! digits), `http://a@b@c` (two `@`) and `x:#a#b` (a `#` in the fragment) are not URIs, so the
//! engine refuses tokens and configurations that carry them.

use std::net::Ipv6Addr;

/// Whether `text` is an absolute URI with an optional fragment, as `parseURI` reads it.
pub fn parse_uri(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    let mut sc = scheme.chars();
    let scheme_ok = sc.next().is_some_and(|c| c.is_ascii_alphabetic())
        && sc.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok {
        return false;
    }
    // A hier-part holds no `?` or `#`, a query no `#`: the first of each ends the part before.
    let (before_fragment, fragment) = split(rest, '#');
    let (hier, query) = split(before_fragment, '?');
    [query, fragment]
        .into_iter()
        .flatten()
        .all(|part| chars_ok(part, |c| pchar(c) || c == b'/' || c == b'?'))
        && hier_part(hier)
}

fn split(text: &str, at: char) -> (&str, Option<&str>) {
    match text.split_once(at) {
        Some((a, b)) => (a, Some(b)),
        None => (text, None),
    }
}

/// `"//" authority path-abempty / path-absolute / path-rootless / path-empty`.
fn hier_part(hier: &str) -> bool {
    match hier.strip_prefix("//") {
        Some(rest) => {
            let (authority, path) = rest.find('/').map_or((rest, ""), |i| rest.split_at(i));
            authority_ok(authority) && path_chars(path)
        }
        // path-absolute (its second character is never `/`), path-rootless or path-empty.
        None => path_chars(hier),
    }
}

/// `[ userinfo "@" ] host [ ":" port ]`.
fn authority_ok(authority: &str) -> bool {
    let (userinfo, host_port) = match authority.split_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, authority),
    };
    if let Some(u) = userinfo
        && !chars_ok(u, |c| unreserved(c) || sub_delim(c) || c == b':')
    {
        return false;
    }
    let (host_ok, port) = match host_port.strip_prefix('[') {
        Some(literal) => match literal.split_once(']') {
            Some((ip, after)) => (ip_literal(ip), after),
            None => return false,
        },
        None => {
            let (host, port) = host_port
                .find(':')
                .map_or((host_port, ""), |i| host_port.split_at(i));
            (chars_ok(host, |c| unreserved(c) || sub_delim(c)), port)
        }
    };
    let port_ok = port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|p| p.bytes().all(|c| c.is_ascii_digit()));
    host_ok && port_ok
}

/// `IPv6address / IPvFuture` inside brackets.
fn ip_literal(ip: &str) -> bool {
    if let Some(future) = ip.strip_prefix(['v', 'V']) {
        return future.split_once('.').is_some_and(|(version, rest)| {
            !version.is_empty()
                && version.bytes().all(|c| c.is_ascii_hexdigit())
                && !rest.is_empty()
                && rest
                    .bytes()
                    .all(|c| unreserved(c) || sub_delim(c) || c == b':')
        });
    }
    ip.parse::<Ipv6Addr>().is_ok()
}

fn path_chars(path: &str) -> bool {
    chars_ok(path, |c| pchar(c) || c == b'/')
}

/// Every byte passes `ok`, or is the start of a `%XX` escape.
fn chars_ok(text: &str, ok: impl Fn(u8) -> bool) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'%' {
            let escaped = b
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit));
            if !escaped {
                return false;
            }
            i += 3;
        } else if ok(c) {
            i += 1;
        } else {
            return false;
        }
    }
    true
}

fn unreserved(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~')
}

fn sub_delim(c: u8) -> bool {
    b"!$&'()*+,;=".contains(&c)
}

fn pchar(c: u8) -> bool {
    unreserved(c) || sub_delim(c) || c == b':' || c == b'@'
}

/// network-uri's `show` of a URI `parseURI` accepted (`uriToString defaultUserInfoMap`): the
/// parts as written, but a password in the user information is shown as `...`
/// (`user:secret@host` is `user:...@host`; `user@` and `user:@` stay). hs-jose's `ToJSON` for a
/// `StringOrURI` that holds a URI is this `show`.
pub fn show_uri(text: &str) -> String {
    let Some(colon) = text.find(':') else {
        return text.to_string();
    };
    let (scheme, rest) = text.split_at(colon + 1);
    let Some(after) = rest.strip_prefix("//") else {
        return text.to_string();
    };
    let end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let (authority, tail) = after.split_at(end);
    let Some((userinfo, host)) = authority.split_once('@') else {
        return text.to_string();
    };
    let shown = match userinfo.split_once(':') {
        Some((user, pass)) if !pass.is_empty() => format!("{user}:..."),
        _ => userinfo.to_string(),
    };
    format!("{scheme}//{shown}@{host}{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// network-uri `Network/URI.hs`: `defaultUserInfoMap` replaces a non-empty password.
    #[test]
    fn show_hides_a_password_as_network_uri_does() {
        for (text, shown) in [
            (
                "https://alice:s3cret@idp.example/u/1",
                "https://alice:...@idp.example/u/1",
            ),
            (
                "https://alice:a:b@idp.example",
                "https://alice:...@idp.example",
            ),
            (
                "https://:pw@idp.example?q#f",
                "https://:...@idp.example?q#f",
            ),
            ("https://alice@idp.example/x", "https://alice@idp.example/x"),
            (
                "https://alice:@idp.example/x",
                "https://alice:@idp.example/x",
            ),
            ("https://idp.example/a:b@c", "https://idp.example/a:b@c"),
            ("mailto:alice:pw@example.com", "mailto:alice:pw@example.com"),
            ("urn:example:a", "urn:example:a"),
        ] {
            assert!(parse_uri(text), "{text}");
            assert_eq!(show_uri(text), shown, "{text}");
        }
    }

    #[test]
    fn uris_as_network_uri_reads_them() {
        for good in [
            "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Jw7Ck9Sa1",
            "https://x/",
            "urn:example:animal:ferret:nose",
            "http://user:pw@host:8080/p/a/t/h?q=1#frag",
            "http://[::1]:80/",
            "http://[v7.fe80::a]/",
            "mailto:a@b.c",
            "x:",
            "x:/a",
            "http://h/%41",
            "http://host:/",
        ] {
            assert!(parse_uri(good), "{good}");
        }
        for bad in [
            "http://host:abc",
            "http://a@b@c",
            "x:#a#b",
            "1x:y",
            ":nothing",
            "http://h/%4",
            "http://h/a b",
            "http://[::g]/",
            "http://[::1/",
            "https://x/ä",
            "no colon",
        ] {
            assert!(!parse_uri(bad), "{bad}");
        }
    }
}
