//! The DDN engine model against the engine's own JWT tests (`hasura-authn-jwt/src/jwt.rs`,
//! `auth.rs`) and source.
