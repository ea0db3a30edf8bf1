# The mfapolicy container image: one static binary and CA certificates
# (for the Management API), nothing else; no Node.js is needed at run time
# (the Action runs in the embedded goja engine).
#
#   docker build --build-arg VERSION=v0.1.0 -t mfapolicy:v0.1.0 .
#   docker run --rm -v "$PWD:/work" mfapolicy:v0.1.0 check policy.yaml
#
# The binary is built by scripts/release.sh, as the release binaries are,
# for the image's platform (docker buildx build --platform linux/arm64 ...).
ARG GO_VERSION=1.26.8

FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-bookworm AS build
ARG VERSION=v0.0.0-dev
ARG TARGETOS=linux
ARG TARGETARCH=amd64
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# The build context's files belong to another user: let git read the
# commit for the version line.
RUN git config --global --add safe.directory /src \
 && TARGETS="$TARGETOS/$TARGETARCH" scripts/release.sh "$VERSION" /out \
 && cp /out/mfapolicy_"$VERSION"_"$TARGETOS"_"$TARGETARCH" /mfapolicy

FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /mfapolicy /usr/local/bin/mfapolicy
# An unprivileged user; mount the policy repository at /work.
USER 65532:65532
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/mfapolicy"]
CMD ["--help"]
