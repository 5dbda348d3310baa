package filestore_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudinary/cloudinary-go/v2/api"

	"github.com/clientflow/clientflow/store/filestore"
)

const secret = "peer-secret"

// cloudinaryPeer imitates the parts of Cloudinary's upload API the store uses, checking every request's
// signature with the account secret, and keeps uploads in memory.
type cloudinaryPeer struct {
	t      *testing.T
	mu     sync.Mutex
	assets map[string][]byte // "<resource type>/<public id>"
}

// verify checks a request's signature the way Cloudinary does.
func (p *cloudinaryPeer) verify(w http.ResponseWriter, params url.Values) bool {
	signed := url.Values{}
	for k, v := range params {
		switch k {
		case "file", "api_key", "signature", "resource_type", "cloud_name":
		default:
			signed[k] = v
		}
	}
	want, err := api.SignParameters(signed, secret)
	if err != nil || params.Get("signature") != want || params.Get("api_key") != "key" {
		http.Error(w, `{"error":{"message":"Invalid Signature"}}`, http.StatusUnauthorized)
		return false
	}
	return true
}

func (p *cloudinaryPeer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/v1_1/demo/"), "/")
	if len(parts) != 2 {
		http.NotFound(w, r)
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	switch parts[1] {
	case "upload":
		if err := r.ParseMultipartForm(1 << 20); err != nil || r.PostForm.Get("type") != "private" {
			http.Error(w, "bad upload", http.StatusBadRequest)
			return
		}
		if !p.verify(w, r.PostForm) {
			return
		}
		f, _, err := r.FormFile("file")
		if err != nil {
			http.Error(w, "no file", http.StatusBadRequest)
			return
		}
		b, _ := io.ReadAll(f)
		id := r.PostForm.Get("public_id")
		rt := "raw"
		if bytes.HasPrefix(b, []byte("\x89PNG")) {
			rt = "image"
		}
		p.assets[rt+"/"+id] = b
		_ = json.NewEncoder(w).Encode(map[string]any{"public_id": id, "resource_type": rt, "type": "private", "bytes": len(b)})
	case "download":
		q := r.URL.Query()
		exp, _ := strconv.ParseInt(q.Get("expires_at"), 10, 64)
		if !p.verify(w, q) || exp < time.Now().Unix() {
			return
		}
		b, ok := p.assets[parts[0]+"/"+q.Get("public_id")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(b)
	case "destroy":
		// The SDK posts these forms without a Content-Type, so read the body as a query string.
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		if !p.verify(w, form) {
			return
		}
		key := parts[0] + "/" + form.Get("public_id")
		result := "not found"
		if _, ok := p.assets[key]; ok {
			delete(p.assets, key)
			result = "ok"
		}
		_ = json.NewEncoder(w).Encode(map[string]string{"result": result})
	default:
		http.NotFound(w, r)
	}
}

func TestCloudinaryAgainstALocalPeer(t *testing.T) {
	peer := &cloudinaryPeer{t: t, assets: map[string][]byte{}}
	srv := httptest.NewServer(peer)
	defer srv.Close()
	store, err := filestore.NewCloudinary(filestore.CloudinaryOptions{CloudName: "demo", APIKey: "key", APISecret: secret,
		APIBase: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 50)...)

	t.Run("put_open_signed_url_delete_an_image", func(t *testing.T) {
		n, err := store.Put(ctx, "org/file1.png", "image/png", bytes.NewReader(png), 1000)
		if err != nil || n != int64(len(png)) {
			t.Fatalf("put: %d %v", n, err)
		}
		if _, ok := peer.assets["image/org/file1"]; !ok {
			t.Fatalf("peer holds %v", peer.assets)
		}
		mustRead(t, store, "org/file1.png", png)
		u, err := store.SignedURL(ctx, "org/file1.png", time.Now().Add(5*time.Minute))
		if err != nil || !strings.HasPrefix(u, srv.URL+"/v1_1/demo/image/download?") || !strings.Contains(u, "signature=") {
			t.Fatalf("signed url %q %v", u, err)
		}
		if err := store.Delete(ctx, "org/file1.png"); err != nil {
			t.Fatal(err)
		}
		if _, err := store.Open(ctx, "org/file1.png"); !errors.Is(err, filestore.ErrNotFound) {
			t.Fatalf("after delete: %v", err)
		}
		if err := store.Delete(ctx, "org/file1.png"); err != nil {
			t.Fatalf("deleting twice: %v", err)
		}
	})

	t.Run("raw_documents_keep_their_extension", func(t *testing.T) {
		if _, err := store.Put(ctx, "org/notes.csv", "text/csv", strings.NewReader("a,b\n"), 1000); err != nil {
			t.Fatal(err)
		}
		if _, ok := peer.assets["raw/org/notes.csv"]; !ok {
			t.Fatalf("peer holds %v", peer.assets)
		}
		mustRead(t, store, "org/notes.csv", []byte("a,b\n"))
	})

	t.Run("oversized_content_never_reaches_cloudinary", func(t *testing.T) {
		_, err := store.Put(ctx, "org/big.png", "image/png", bytes.NewReader(png), 10)
		if !errors.Is(err, filestore.ErrTooLarge) {
			t.Fatalf("want ErrTooLarge, got %v", err)
		}
		if _, ok := peer.assets["image/org/big"]; ok {
			t.Fatal("oversized content was uploaded")
		}
	})

	t.Run("a_wrong_secret_is_refused", func(t *testing.T) {
		bad, _ := filestore.NewCloudinary(filestore.CloudinaryOptions{CloudName: "demo", APIKey: "key", APISecret: "wrong",
			APIBase: srv.URL})
		if _, err := bad.Put(ctx, "org/x.png", "image/png", bytes.NewReader(png), 1000); err == nil {
			t.Fatal("want an error for a bad signature")
		}
	})
}

func mustRead(t *testing.T, s filestore.Store, key string, want []byte) {
	t.Helper()
	r, err := s.Open(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got, _ := io.ReadAll(r)
	if !bytes.Equal(got, want) {
		t.Fatalf("read %q, want %q", got, want)
	}
}
