package chaos_test

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// proc is one running api or worker binary with its output captured.
type proc struct {
	name string
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan struct{}
}

// syncBuffer collects a child's output while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// summary is the first errors logged and the last lines written: enough to see why a test failed
// without the thousands of request lines of a load test.
func (b *syncBuffer) summary() string {
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	var errs []string
	for _, l := range lines {
		if strings.Contains(l, `"level":"ERROR"`) && len(errs) < 20 {
			errs = append(errs, l)
		}
	}
	return "errors:\n" + strings.Join(errs, "\n") + "\nlast lines:\n" + strings.Join(lines[max(0, len(lines)-20):], "\n")
}

// mustStartProc runs binary (api or worker) with exactly env (plus PATH and HOME, nothing inherited, so a
// developer's DATABASE_URL cannot leak in); its output is printed if the test fails.
func mustStartProc(t *testing.T, name, binary string, env map[string]string) *proc {
	t.Helper()
	cmd := exec.Command(filepath.Join(binDir, binary))
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	p := &proc{name: name, cmd: cmd, out: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.out, p.out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	go func() {
		cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.stop()
		if t.Failed() {
			t.Logf("---- output of %s ----\n%s", name, p.out.summary())
		}
	})
	return p
}

// kill sends SIGKILL, the crash no program can clean up after, and waits for the process to be gone.
func (p *proc) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("kill %s: %v", p.name, err)
	}
	<-p.done
}

// stop asks the process to shut down and kills it if it has not within 10 s.
func (p *proc) stop() {
	select {
	case <-p.done:
		return
	default:
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
	}
}

// mustSee waits until the process has printed text.
func (p *proc) mustSee(t *testing.T, text string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !strings.Contains(p.out.String(), text) {
		select {
		case <-p.done:
			t.Fatalf("%s exited before printing %q", p.name, text)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not print %q within %s", p.name, text, timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// mustWaitHealthy polls url/healthz until the API answers.
func mustWaitHealthy(t *testing.T, p *proc, url string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		res, err := http.Get(url + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case <-p.done:
			t.Fatalf("%s exited during start-up", p.name)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not healthy after 60 s: %v", p.name, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// freeAddr returns a free loopback address for a child process to bind.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// eventually polls cond every 100 ms until it holds, failing with what after timeout.
func eventually(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, timeout)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// must fails the test on err.
func must(t *testing.T, err error, format string, args ...any) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", fmt.Sprintf(format, args...), err)
	}
}
