package eventgen

//go:generate sh -c "go run ./cmd/eventgen -kind events -n 3000 -seed 1 > ../../examples/events.ndjson"
//go:generate sh -c "go run ./cmd/eventgen -kind logs -n 1000 -seed 2 > ../../examples/logs.ndjson"
