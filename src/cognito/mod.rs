//! Amazon Cognito user pools: pool ids, the two issuer URL forms, and where a pool's keys are.
//!
//! Pure. A pool id is `<region>_<id>`; its issuer is
//! `https://cognito-idp.<region>.<domain>/<pool>` or, for pools on the "updated issuer",
//! `https://issuer-cognito-idp.<region>.<domain>/<pool>`. The key set is served under the
//! original form for every pool.

pub mod token_endpoint;

/// A user pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pool {
    /// `us-east-1_AbC123`.
    pub id: String,
    /// `us-east-1`.
    pub region: String,
}

/// Why a pool id was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a Cognito user pool id (region_id, e.g. us-east-1_AbC123)")]
pub struct PoolIdError(pub String);

impl Pool {
    /// Parses a pool id, leniently: a region of lower-case words and a number, `_`, letters and
    /// digits. New partitions (e.g. `eusc-de-east-1`) keep working.
    pub fn parse(text: &str) -> Result<Pool, PoolIdError> {
        let t = text.trim();
        let err = || PoolIdError(t.to_string());
        let (region, id) = t.split_once('_').ok_or_else(err)?;
        let words: Vec<&str> = region.split('-').collect();
        let region_ok = words.len() >= 3
            && words.split_last().is_some_and(|(number, names)| {
                names
                    .iter()
                    .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
                    && !number.is_empty()
                    && number.bytes().all(|b| b.is_ascii_digit())
            });
        let id_ok = !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric());
        if region_ok && id_ok {
            Ok(Pool {
                id: t.to_string(),
                region: region.to_string(),
            })
        } else {
            Err(err())
        }
    }

    /// The DNS suffix of the pool's partition.
    pub fn domain(&self) -> &'static str {
        domain_for(&self.region)
    }

    /// The original issuer form, `https://cognito-idp.<region>.<domain>/<pool>`.
    pub fn issuer(&self) -> String {
        format!(
            "https://cognito-idp.{}.{}/{}",
            self.region,
            self.domain(),
            self.id
        )
    }

    /// The updated issuer form, `https://issuer-cognito-idp.<region>.<domain>/<pool>`.
    pub fn updated_issuer(&self) -> String {
        format!(
            "https://issuer-cognito-idp.{}.{}/{}",
            self.region,
            self.domain(),
            self.id
        )
    }

    /// Both accepted issuer values.
    pub fn issuers(&self) -> Vec<String> {
        vec![self.issuer(), self.updated_issuer()]
    }

    /// The key set URL (served under the original issuer for every pool).
    pub fn jwks_url(&self) -> String {
        format!("{}/.well-known/jwks.json", self.issuer())
    }
}

/// The DNS suffix of a region's partition.
fn domain_for(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else if region.starts_with("eusc-") {
        "amazonaws.eu"
    } else {
        "amazonaws.com"
    }
}

/// Whether a token's claims come from a Cognito user pool (its `iss` names one): advice about
/// Cognito's triggers fits only then.
pub fn issued_by_cognito(claims: &serde_json::Map<String, serde_json::Value>) -> bool {
    claims
        .get("iss")
        .and_then(serde_json::Value::as_str)
        .and_then(pool_of_issuer)
        .is_some()
}

/// Recognises a Cognito user-pool issuer URL (either form, any partition) and returns its pool.
pub fn pool_of_issuer(iss: &str) -> Option<Pool> {
    let rest = iss.strip_prefix("https://")?;
    let (host, path) = rest.split_once('/')?;
    let host_rest = host
        .strip_prefix("cognito-idp.")
        .or_else(|| host.strip_prefix("issuer-cognito-idp."))?;
    let pool = Pool::parse(path).ok()?;
    let expected = format!("{}.{}", pool.region, pool.domain());
    (host_rest == expected && path == pool.id).then_some(pool)
}

/// The pool whose key set a URL names: a Cognito host (either form) and a
/// `/<pool>/.well-known/jwks.json` path (the host's region is checked separately).
pub fn pool_of_jwks(url: &str) -> Option<Pool> {
    let parsed = url::Url::parse(url).ok()?;
    let host = parsed.host_str()?;
    if !(host.starts_with("cognito-idp.") || host.starts_with("issuer-cognito-idp.")) {
        return None;
    }
    let segments: Vec<&str> = parsed.path().trim_matches('/').split('/').collect();
    match segments.as_slice() {
        [pool, ".well-known", "jwks.json"] => Pool::parse(pool).ok(),
        _ => None,
    }
}

/// What a Pre Token Generation V1 trigger can write into a token: strings only.
pub const V1_WRITES_STRINGS: &str =
    "a Cognito Pre Token Generation V1 trigger can only write strings";

/// Hasura claims written as JSON (`subject`, e.g. "claims_format is json") where a V1 trigger
/// writes strings: the warning and its fix (`setting`, the stringified form), in one wording for
/// the v2 and DDN lints and `mint`.
pub fn v1_claims_format(subject: &str, setting: &str) -> (String, String) {
    (
        format!("{subject}, but {V1_WRITES_STRINGS}"),
        format!(
            "with a V1 trigger set {setting}; JSON objects and arrays need a V2/V3 trigger (the pool on the Essentials or Plus plan)"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_issuers_and_jwks_url() {
        let p = Pool::parse("us-east-1_AbC123").unwrap();
        assert_eq!(
            p.issuer(),
            "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123"
        );
        assert_eq!(
            p.updated_issuer(),
            "https://issuer-cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123"
        );
        assert_eq!(
            p.jwks_url(),
            "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123/.well-known/jwks.json"
        );
    }

    #[test]
    fn accepts_every_partition() {
        for id in [
            "us-gov-west-1_x1",
            "cn-north-1_AbC",
            "eusc-de-east-1_Q9",
            "ap-southeast-2_z",
        ] {
            assert!(Pool::parse(id).is_ok(), "{id}");
        }
        assert_eq!(
            Pool::parse("cn-north-1_AbC").unwrap().issuer(),
            "https://cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_AbC"
        );
        for bad in [
            "useast1_x",
            "us-east-1",
            "us-east-1_",
            "us-east-1_a-b",
            "US-EAST-1_a",
        ] {
            assert!(Pool::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn recognises_issuer_urls() {
        let p =
            pool_of_issuer("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ab1").unwrap();
        assert_eq!(p.id, "eu-west-1_Ab1");
        assert!(
            pool_of_issuer("https://issuer-cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ab1")
                .is_some()
        );
        for bad in [
            "https://cognito-idp.eu-west-1.amazonaws.com/us-east-1_Ab1",
            "https://cognito-idp.eu-west-1.evil.com/eu-west-1_Ab1",
            "http://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ab1",
            "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ab1/",
            "https://evil.com/cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ab1",
        ] {
            assert!(pool_of_issuer(bad).is_none(), "{bad}");
        }
    }
}
