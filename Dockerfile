# jwtcheck as a container image for CI systems that run containers: a static (musl) binary on
# distroless/static, running as a non-root user. The image holds nothing but the binary, CA
# certificates and time zone data (what distroless/static has).
#
#   docker build -t jwtcheck .
#   docker run --rm -v "$PWD:/work" -w /work jwtcheck check --hasura-config @hasura-jwt-secret.json --token @tokens.txt
#
# Builds for the platform's architecture (amd64 or arm64), as .github/workflows/release.yml
# builds the Linux release binaries.
FROM rust:1-bookworm AS build
ARG TARGETARCH
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends musl-tools \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN case "${TARGETARCH:-amd64}" in \
      amd64) target=x86_64-unknown-linux-musl ;; \
      arm64) target=aarch64-unknown-linux-musl ;; \
      *) echo "no musl target for ${TARGETARCH}" >&2; exit 1 ;; \
    esac \
    && rustup target add "$target" \
    && cargo build --release --locked --target "$target" \
    && cp "target/$target/release/jwtcheck" /jwtcheck \
    && /jwtcheck --version

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /jwtcheck /usr/local/bin/jwtcheck
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/jwtcheck"]
CMD ["--help"]
