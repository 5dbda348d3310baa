package filestore

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path"
	"strings"
	"time"

	"github.com/cloudinary/cloudinary-go/v2"
	"github.com/cloudinary/cloudinary-go/v2/api"
	"github.com/cloudinary/cloudinary-go/v2/api/uploader"
)

// Cloudinary keeps files as private assets in a Cloudinary account; they are reachable only through
// signed, expiring download URLs.
type Cloudinary struct {
	cld  *cloudinary.Cloudinary
	http *http.Client
}

// CloudinaryOptions configure the Cloudinary store.
type CloudinaryOptions struct {
	CloudName, APIKey, APISecret string
	// APIBase replaces https://api.cloudinary.com (tests point it at a local peer).
	APIBase string
}

// NewCloudinary returns a store for the given account.
func NewCloudinary(o CloudinaryOptions) (*Cloudinary, error) {
	cld, err := cloudinary.NewFromParams(o.CloudName, o.APIKey, o.APISecret)
	if err != nil {
		return nil, fmt.Errorf("filestore: cloudinary: %w", err)
	}
	if o.APIBase != "" {
		cld.Config.API.UploadPrefix = strings.TrimRight(o.APIBase, "/")
	}
	cld.Upload.Config = cld.Config
	return &Cloudinary{cld: cld, http: &http.Client{Timeout: 5 * time.Minute}}, nil
}

// asset names the Cloudinary asset behind a key. Cloudinary files images and PDFs under the "image"
// resource type with the extension as their format, and everything else under "raw" with the extension
// kept in the public ID, so the key's extension decides both.
func asset(key string) (resourceType, publicID, format string) {
	ext := strings.TrimPrefix(path.Ext(key), ".")
	switch ext {
	case "png", "jpg", "gif", "webp", "bmp", "pdf":
		return "image", strings.TrimSuffix(key, "."+ext), ext
	}
	return "raw", key, ""
}

// Put spools at most maxBytes to a temporary file (so an oversized upload never reaches Cloudinary) and
// uploads it as a private asset.
func (c *Cloudinary) Put(ctx context.Context, key, _ string, r io.Reader, maxBytes int64) (int64, error) {
	tmp, err := os.CreateTemp("", "clientflow-upload-*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	n, err := io.Copy(tmp, io.LimitReader(contextReader{ctx, r}, maxBytes+1))
	if err != nil {
		return 0, err
	}
	if n > maxBytes {
		return 0, ErrTooLarge
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return 0, err
	}
	_, publicID, _ := asset(key)
	overwrite := true
	res, err := c.cld.Upload.Upload(ctx, tmp, uploader.UploadParams{
		PublicID: publicID, Type: api.Private, Overwrite: &overwrite})
	if err != nil {
		return 0, fmt.Errorf("filestore: cloudinary upload: %w", err)
	}
	if res.Error.Message != "" {
		return 0, fmt.Errorf("filestore: cloudinary upload: %s", res.Error.Message)
	}
	return n, nil
}

// SignedURL returns Cloudinary's signed private download URL for key, valid until expires.
func (c *Cloudinary) SignedURL(_ context.Context, key string, expires time.Time) (string, error) {
	resourceType, publicID, format := asset(key)
	return c.cld.Upload.PrivateDownloadURL(uploader.PrivateDownloadURLParams{
		PublicID: publicID, Format: format, DeliveryType: string(api.Private), Attachment: "true",
		ExpiresAt: &expires, ResourceType: api.AssetType(resourceType)})
}

// Open downloads the asset through a short-lived signed URL.
func (c *Cloudinary) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	u, err := c.SignedURL(ctx, key, time.Now().Add(time.Minute))
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("filestore: cloudinary download: %w", err)
	}
	switch resp.StatusCode {
	case http.StatusOK:
		return resp.Body, nil
	case http.StatusNotFound:
		resp.Body.Close()
		return nil, ErrNotFound
	}
	resp.Body.Close()
	return nil, fmt.Errorf("filestore: cloudinary download: %s", resp.Status)
}

// Delete destroys the asset; Cloudinary answers "not found" for a missing one, which is fine.
func (c *Cloudinary) Delete(ctx context.Context, key string) error {
	resourceType, publicID, _ := asset(key)
	invalidate := true
	res, err := c.cld.Upload.Destroy(ctx, uploader.DestroyParams{
		PublicID: publicID, Type: string(api.Private), ResourceType: resourceType, Invalidate: &invalidate})
	if err != nil {
		return fmt.Errorf("filestore: cloudinary destroy: %w", err)
	}
	if res.Result != "ok" && res.Result != "not found" {
		return fmt.Errorf("filestore: cloudinary destroy: %q %s", res.Result, res.Error.Message)
	}
	return nil
}
