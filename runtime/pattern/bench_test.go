package pattern

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// The benchmark workload: EventBridge envelopes of about 1 KB and rules of 2 to 4
// conditions, all generated deterministically.

var (
	benchSources  = []string{"com.shop.orders", "com.shop.billing", "com.shop.shipping", "com.shop.users", "com.shop.catalog", "aws.ec2", "aws.s3", "aws.lambda", "com.shop.search", "com.shop.reviews"}
	benchTypes    = []string{"OrderPlaced", "OrderCancelled", "OrderShipped", "PaymentCaptured", "PaymentFailed", "UserSignedUp", "UserDeleted", "ItemRestocked", "EC2 Instance State-change Notification", "Object Created"}
	benchStatus   = []string{"pending", "processing", "shipped", "delivered", "cancelled", "failed", "refunded", "on-hold"}
	benchRegions  = []string{"us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"}
	benchTiers    = []string{"free", "basic", "gold", "platinum"}
	benchCountry  = []string{"DE", "FR", "US", "GB", "JP", "BR", "IN", "NL"}
	benchChannels = []string{"web", "mobile-ios", "mobile-android", "pos", "api"}
)

// benchEvent returns an envelope of about 1 KB.
func benchEvent(r *rand.Rand) []byte {
	items := make([]any, 2+r.IntN(3))
	for i := range items {
		items[i] = obj{
			{"sku", fmt.Sprintf("SKU-%04d", r.IntN(200))},
			{"qty", 1 + r.IntN(5)},
			{"price", raw(fmt.Sprintf("%d.%02d", r.IntN(300), r.IntN(100)))},
			{"category", pick(r, []string{"books", "garden", "toys", "electronics", "food"})},
		}
	}
	ev := obj{
		{"version", "0"},
		{"id", fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", r.Uint32(), r.IntN(1<<16), r.IntN(1<<12), r.IntN(1<<12), r.Uint64()&(1<<48-1))},
		{"detail-type", pick(r, benchTypes)},
		{"source", pick(r, benchSources)},
		{"account", "123456789012"},
		{"time", fmt.Sprintf("2025-%02d-%02dT%02d:%02d:%02dZ", 1+r.IntN(12), 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60))},
		{"region", pick(r, benchRegions)},
		{"resources", []any{fmt.Sprintf("arn:aws:ec2:%s:123456789012:instance/i-%08x", pick(r, benchRegions), r.Uint32())}},
		{"detail", obj{
			{"metadata", obj{
				{"tenantId", fmt.Sprintf("tenant-%02d", r.IntN(50))},
				{"userId", fmt.Sprintf("user-%04d", r.IntN(5000))},
				{"correlationId", fmt.Sprintf("%016x", r.Uint64())},
				{"traceparent", fmt.Sprintf("00-%016x%016x-%016x-01", r.Uint64(), r.Uint64(), r.Uint64())},
			}},
			{"orderId", fmt.Sprintf("ORD-%06d", r.IntN(1000000))},
			{"status", pick(r, benchStatus)},
			{"amount", raw(fmt.Sprintf("%d.%02d", r.IntN(2000), r.IntN(100)))},
			{"priority", r.IntN(10)},
			{"channel", pick(r, benchChannels)},
			{"customer", obj{
				{"email", fmt.Sprintf("user%d@%s", r.IntN(1000), pick(r, []string{"example.com", "Example.org", "mail.test"}))},
				{"tier", pick(r, benchTiers)},
				{"country", pick(r, benchCountry)},
			}},
			{"items", items},
			{"sourceIp", fmt.Sprintf("10.%d.%d.%d", r.IntN(4), r.IntN(256), r.IntN(256))},
			{"tags", []any{pick(r, []string{"promo", "gift", "express", "bulk"}), pick(r, []string{"new", "returning"})}},
			{"expedited", r.IntN(2) == 0},
			{"coupon", pick(r, []any{nil, "SPRING10", "WELCOME"})},
		}},
	}
	return []byte(jsonText(ev))
}

// benchCondition returns a field path and its match array. basic limits the operators to
// exact, prefix, exists, anything-but, equals-ignore-case and wildcard.
func benchCondition(r *rand.Rand, basic bool) ([]string, []any) {
	n := 9
	if !basic {
		n = 15
	}
	switch r.IntN(n) {
	case 0:
		return []string{"source"}, []any{pick(r, benchSources)}
	case 1:
		return []string{"detail-type"}, []any{pick(r, benchTypes), pick(r, benchTypes)}
	case 2:
		return []string{"detail", "status"}, []any{pick(r, benchStatus), pick(r, benchStatus)}
	case 3:
		return []string{"detail", "metadata", "tenantId"}, []any{obj{{"prefix", fmt.Sprintf("tenant-%d", r.IntN(5))}}}
	case 4:
		return []string{"detail", "customer", "tier"}, []any{obj{{"anything-but", pick(r, benchTiers)}}}
	case 5:
		return []string{"detail", "customer", "email"}, []any{obj{{"wildcard", fmt.Sprintf("user%d*@*", r.IntN(10))}}}
	case 6:
		return []string{"detail-type"}, []any{obj{{"equals-ignore-case", pick(r, benchTypes)}}}
	case 7:
		return []string{"detail", "items", "sku"}, []any{obj{{"prefix", fmt.Sprintf("SKU-00%d", r.IntN(10))}}}
	case 8:
		return []string{"detail", pick(r, []string{"coupon", "channel", "expedited", "missing"})}, []any{obj{{"exists", r.IntN(3) != 0}}}
	case 9:
		lo := r.IntN(1800)
		return []string{"detail", "amount"}, []any{obj{{"numeric", []any{">=", lo, "<", lo + 100 + r.IntN(300)}}}}
	case 10:
		return []string{"detail", "sourceIp"}, []any{obj{{"cidr", fmt.Sprintf("10.%d.%d.0/%d", r.IntN(4), r.IntN(256), pick(r, []int{16, 20, 24}))}}}
	case 11:
		return []string{"detail", "customer", "email"}, []any{obj{{"suffix", obj{{"equals-ignore-case", pick(r, []string{"@example.com", "@EXAMPLE.ORG", ".test"})}}}}}
	case 12:
		return []string{"detail", "priority"}, []any{r.IntN(10), obj{{"numeric", []any{">", 7}}}}
	case 13:
		return []string{"detail", "items", "category"}, []any{obj{{"anything-but", obj{{"prefix", pick(r, []string{"bo", "ga", "to"})}}}}}
	}
	return []string{"detail", "channel"}, []any{obj{{"anything-but", []any{pick(r, benchChannels), pick(r, benchChannels)}}}}
}

// benchRule returns a rule of 2 to 4 conditions on distinct fields.
func benchRule(r *rand.Rand, basic bool) []byte {
	var o obj
	seen := map[string]bool{}
	n := 2 + r.IntN(3)
	for len(seen) < n {
		path, vals := benchCondition(r, basic)
		k := fmt.Sprint(path)
		if seen[k] {
			continue
		}
		seen[k] = true
		o = insertPath(o, path, vals, rand.New(rand.NewPCG(1, 1))) // nested form, never dotted
	}
	return []byte(jsonText(o))
}

func benchRules(n int, basic bool) [][]byte {
	r := rand.New(rand.NewPCG(uint64(n), 7))
	out := make([][]byte, n)
	for i := range out {
		out[i] = benchRule(r, basic)
	}
	return out
}

func benchEvents() [][]byte {
	r := rand.New(rand.NewPCG(3, 3))
	out := make([][]byte, 256)
	for i := range out {
		out[i] = benchEvent(r)
	}
	return out
}

func BenchmarkMatcher(b *testing.B) {
	events := benchEvents()
	for _, ops := range []string{"basic", "all"} {
		for _, n := range []int{10, 100, 1000, 10000} {
			b.Run(fmt.Sprintf("ops=%s/rules=%d", ops, n), func(b *testing.B) {
				m := NewMatcher()
				for i, p := range benchRules(n, ops == "basic") {
					if err := m.Add(fmt.Sprintf("rule-%05d", i), p); err != nil {
						b.Fatal(err)
					}
				}
				var size, matches int
				for _, e := range events {
					size += len(e)
					names, _ := m.Match(e)
					matches += len(names)
				}
				b.ReportAllocs()
				b.ResetTimer()
				i := 0
				for b.Loop() {
					if _, err := m.Match(events[i&255]); err != nil {
						b.Fatal(err)
					}
					i++
				}
				b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "events/s")
				b.ReportMetric(float64(matches)/float64(len(events)), "matches/event")
				b.ReportMetric(float64(size)/float64(len(events)), "bytes/event")
			})
		}
	}
}

func BenchmarkAdd(b *testing.B) {
	rules := benchRules(10000, false)
	b.ReportAllocs()
	for b.Loop() {
		m := NewMatcher()
		for i, p := range rules {
			if err := m.Add(fmt.Sprintf("rule-%05d", i), p); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(rules)), "rules/op")
}

func BenchmarkPatternMatch(b *testing.B) {
	events := benchEvents()
	p, err := Compile(benchRules(1, false)[0])
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := p.Match(events[i&255]); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "events/s")
}

func BenchmarkMatcherParallel(b *testing.B) {
	events := benchEvents()
	m := NewMatcher()
	for i, p := range benchRules(1000, false) {
		if err := m.Add(fmt.Sprintf("rule-%05d", i), p); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if _, err := m.Match(events[i&255]); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
