package cue

import "testing"

func BenchmarkZZSynth(b *testing.B) {
	for b.Loop() {
		if _, err := Load("/tmp/synth/spec.cue"); err != nil {
			b.Fatal(err)
		}
	}
}
