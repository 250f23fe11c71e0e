package pattern

import (
	"bytes"
	"net/netip"
	"strconv"
	"strings"
)

// ipRange is an inclusive range of addresses of one family, as AWS builds it for a CIDR:
// from the address as written to that address with all host bits set (AWS does not clear
// the host bits of the base address).
type ipRange struct {
	lo, hi []byte // 4 or 16 bytes
}

func (r *ipRange) contains(ip []byte) bool {
	return len(ip) == len(r.lo) && bytes.Compare(ip, r.lo) >= 0 && bytes.Compare(ip, r.hi) <= 0
}

// parseIP parses an IPv4 or IPv6 literal as AWS does: IPv4-mapped IPv6 addresses are IPv4,
// zones are not addresses. It returns nil when s is not an address.
func parseIP(s string) []byte {
	if strings.IndexByte(s, '%') >= 0 {
		return nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return nil
	}
	a = a.Unmap()
	if a.Is4() {
		b := a.As4()
		return b[:]
	}
	b := a.As16()
	return b[:]
}

// compileCIDR parses "address/bits" with AWS's error messages.
func compileCIDR(s string) (*ipRange, string) {
	parts := strings.Split(s, "/")
	for len(parts) > 0 && parts[len(parts)-1] == "" { // Java's String.split drops trailing empty strings
		parts = parts[:len(parts)-1]
	}
	if len(parts) != 2 {
		return nil, "Malformed CIDR, one '/' required"
	}
	bits, err := strconv.ParseInt(parts[1], 10, 32)
	if err != nil {
		return nil, "Malformed CIDR, mask bits must be an integer"
	}
	if bits < 0 {
		return nil, "Malformed CIDR, mask bits must not be negative"
	}
	ip := parseIP(parts[0])
	if ip == nil {
		return nil, "Nonstandard IP address: " + parts[0]
	}
	if len(ip) == 4 && bits > 31 {
		return nil, "IPv4 mask bits must be < 32"
	}
	if len(ip) == 16 && bits > 127 {
		return nil, "IPv6 mask bits must be < 128"
	}
	hi := append([]byte(nil), ip...)
	host := len(ip)*8 - int(bits)
	for i := len(hi) - 1; i >= 0 && host > 0; i-- {
		if host >= 8 {
			hi[i] = 0xff
		} else {
			hi[i] |= byte(1<<host - 1)
		}
		host -= 8
	}
	return &ipRange{lo: ip, hi: hi}, ""
}

// parseIPArray is parseIP without allocation: the address is in the first n bytes, n is 0
// when s is not an address.
func parseIPArray(s string) (b [16]byte, n int) {
	if strings.IndexByte(s, '%') >= 0 {
		return b, 0
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return b, 0
	}
	a = a.Unmap()
	if a.Is4() {
		v := a.As4()
		copy(b[:], v[:])
		return b, 4
	}
	return a.As16(), 16
}
