// Package distribution holds the end-to-end tests of how mfapolicy is
// shipped: the composite GitHub Action (action.yml and action/*.sh), run
// step by step as a runner would against a local fake of GitHub's API and
// a local release, and the dependency discipline script
// (scripts/deps.sh). It has no code of its own.
package distribution
