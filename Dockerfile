# Multi-stage build: compile in the Rust image, run from a slim Debian image.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --bin hivewire

FROM debian:bookworm-slim
RUN useradd --system --home /var/lib/hivewire hivewire && mkdir -p /var/lib/hivewire && chown hivewire /var/lib/hivewire
COPY --from=build /src/target/release/hivewire /usr/local/bin/hivewire
USER hivewire
WORKDIR /var/lib/hivewire
ENV HIVEWIRE__SERVER__DATA_DIR=/var/lib/hivewire/data \
    HIVEWIRE__POSTGRES__LISTEN=0.0.0.0:5432 \
    HIVEWIRE__HIVESERVER2__LISTEN=0.0.0.0:10000 \
    HIVEWIRE__HIVESERVER2__HTTP_LISTEN=0.0.0.0:10001
EXPOSE 5432 10000 10001
ENTRYPOINT ["hivewire"]
CMD ["serve"]
