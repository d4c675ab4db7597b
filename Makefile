# The two commands: `make up` (whole system with demo data) and `make test` (every test).
.PHONY: up test build compose bench clean

up:
	@bash infra/scripts/up.sh

test:
	@bash infra/scripts/test.sh

build:
	npx tsc -b tsconfig.json

# Each service's schema.graphql from its code, then gateway/supergraph.graphql from those files.
compose: build
	@npm run --silent compose

bench:
	@bash infra/scripts/bench.sh

clean:
	rm -rf .data node_modules packages/*/dist services/*/dist gateway/dist *.tsbuildinfo
