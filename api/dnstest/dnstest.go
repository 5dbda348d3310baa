// Package dnstest is an authoritative DNS server for tests: it answers TXT queries over UDP on loopback, so
// domain verification runs through a real resolver (the API's DNS_RESOLVER) against records a test
// publishes, as a customer would publish them at their DNS host.
package dnstest

import (
	"net"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/dns/dnsmessage"
)

// Server answers TXT queries from its records; every other name does not exist.
type Server struct {
	// Addr is host:port, for config.Config.DNSResolver.
	Addr    string
	mu      sync.Mutex
	records map[string][]string
	lookup  func(name string) []string
}

// Start runs a server until the test ends.
func Start(tb testing.TB) *Server {
	tb.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { pc.Close() })
	s := &Server{Addr: pc.LocalAddr().String(), records: map[string][]string{}}
	go s.serve(pc)
	return s
}

// Publish adds a TXT record (name without the trailing dot).
func (s *Server) Publish(name, value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.records[strings.ToLower(name)] = append(s.records[strings.ToLower(name)], value)
}

// PublishFunc answers the names Publish has no record for with fn's values (a test stack whose records
// follow its data).
func (s *Server) PublishFunc(fn func(name string) []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lookup = fn
}

func (s *Server) values(name string) []string {
	name = strings.TrimSuffix(strings.ToLower(name), ".")
	s.mu.Lock()
	values, lookup := s.records[name], s.lookup
	s.mu.Unlock()
	if len(values) == 0 && lookup != nil {
		values = lookup(name)
	}
	return values
}

func (s *Server) serve(pc net.PacketConn) {
	buf := make([]byte, 1500)
	for {
		n, from, err := pc.ReadFrom(buf)
		if err != nil {
			return
		}
		if out, err := s.answer(buf[:n]); err == nil {
			pc.WriteTo(out, from)
		}
	}
}

func (s *Server) answer(query []byte) ([]byte, error) {
	var p dnsmessage.Parser
	h, err := p.Start(query)
	if err != nil {
		return nil, err
	}
	q, err := p.Question()
	if err != nil {
		return nil, err
	}
	var values []string
	if q.Type == dnsmessage.TypeTXT {
		values = s.values(q.Name.String())
	}
	rcode := dnsmessage.RCodeSuccess
	if len(values) == 0 {
		rcode = dnsmessage.RCodeNameError
	}
	b := dnsmessage.NewBuilder(nil, dnsmessage.Header{ID: h.ID, Response: true, Authoritative: true,
		RecursionDesired: h.RecursionDesired, RecursionAvailable: true, RCode: rcode})
	if err := b.StartQuestions(); err != nil {
		return nil, err
	}
	if err := b.Question(q); err != nil {
		return nil, err
	}
	if err := b.StartAnswers(); err != nil {
		return nil, err
	}
	for _, v := range values {
		rh := dnsmessage.ResourceHeader{Name: q.Name, Type: dnsmessage.TypeTXT, Class: dnsmessage.ClassINET}
		if err := b.TXTResource(rh, dnsmessage.TXTResource{TXT: []string{v}}); err != nil {
			return nil, err
		}
	}
	return b.Finish()
}
