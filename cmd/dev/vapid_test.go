package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/clientflow/clientflow/config"
)

func TestLocalVAPIDIsGeneratedOnceAndKept(t *testing.T) {
	t.Setenv("DATA_DIR", t.TempDir())
	load := func() config.Config {
		t.Helper()
		cfg, err := config.Load()
		if err != nil {
			t.Fatal(err)
		}
		if err := useLocalVAPID(&cfg); err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	first := load()
	if !first.UsesPush() || first.VAPIDSubject != localVAPIDSubject {
		t.Fatalf("no usable local pair: %+v", first)
	}
	if st, err := os.Stat(filepath.Join(first.DataDir, vapidFile)); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("the pair is not kept privately in the data folder: %v %v", st, err)
	}
	second := load()
	if second.VAPIDPublicKey != first.VAPIDPublicKey || second.VAPIDPrivateKey != first.VAPIDPrivateKey {
		t.Fatal("a restart must keep the pair the browsers subscribed with")
	}

	t.Setenv("VAPID_PUBLIC_KEY", "BLAsnPt6yAhPV68vRYx9tA6IauLotd-Rf54X1Lvkve25YwUrdMdO6QO0zFo_03-UmTMwFPa7OmfY_hmnhZoWcD8")
	t.Setenv("VAPID_PRIVATE_KEY", "iw0RMxvIZov5h-Ba2bI9S7agOuXvOEaExZqy-hyjfek")
	t.Setenv("VAPID_SUBJECT", "https://example.com/contact")
	if given := load(); given.VAPIDPublicKey == first.VAPIDPublicKey || given.VAPIDSubject != "https://example.com/contact" {
		t.Fatal("configured VAPID keys win over the local pair")
	}
}
