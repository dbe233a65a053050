# Never built. The images ci.yml runs (service containers and the Debian test container), pinned by
# multi-arch index digest, in a file Dependabot's docker ecosystem reads: Dependabot does not update
# images inside workflow files (dependabot/dependabot-core#5819). When it moves a digest here, copy
# the line into .github/workflows/ci.yml in the same pull request; infra/test/workflow-schema.test.ts
# fails until both say the same (ADR 0194). Digests read from docker-library/repo-info
# (repos/<name>/remote/<tag>.md), or: docker buildx imagetools inspect <name>:<tag>.

# postgres:17 (17.11, Debian trixie)
FROM postgres:17@sha256:f4c66b820c6f974249089d3d16d86a3698eae11e8746eb6644b2271031e91232 AS postgres
# redis:7 (7.4.11, Debian bookworm)
FROM redis:7@sha256:c6eabf748fc7a61dbb5a705c78bcf3d6377b1127a97d0ce965c11c44ba46896f AS redis
# node:20-bookworm (20.20.0): the Node the development machines run; Debian's Chromium installs on it
FROM node:20-bookworm@sha256:e6a7877d6086eca03cda23bbe06a9b08316ad4fc567e0f6863320dd83dda3a75 AS test
# node:26-bookworm (26.5.0): the images' Node, for the production rehearsal job (ADRs 0221, 0225)
FROM node:26-bookworm@sha256:e2cd0ff87e2597f66fab50710216e2a08ad2f09bae0ca78f6b31e8c5f1a811a0 AS rehearsal
