package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	webpush "github.com/SherClockHolmes/webpush-go"

	"github.com/clientflow/clientflow/config"
)

// vapidFile keeps the local VAPID pair in the data folder: browsers bind a push subscription to the key it
// was made with, so a key generated afresh at every start would silently break every subscription.
const vapidFile = "vapid.json"

// localVAPIDSubject is the contact push services are given for the local pair.
const localVAPIDSubject = "mailto:dev@clientflow.local"

type vapidPair struct {
	PublicKey  string `json:"public_key"`
	PrivateKey string `json:"private_key"`
}

// useLocalVAPID gives cfg the data folder's VAPID pair when VAPID_* are not set, generating it on the
// first run, so web push works under `make run` with no setup.
func useLocalVAPID(cfg *config.Config) error {
	if cfg.VAPIDPublicKey != "" {
		return nil
	}
	path := filepath.Join(cfg.DataDir, vapidFile)
	pair, err := readVAPID(path)
	if errors.Is(err, os.ErrNotExist) {
		pair, err = writeVAPID(path)
	}
	if err != nil {
		return fmt.Errorf("local VAPID keys (%s): %w", path, err)
	}
	cfg.VAPIDPublicKey, cfg.VAPIDPrivateKey = pair.PublicKey, pair.PrivateKey
	if cfg.VAPIDSubject == "" {
		cfg.VAPIDSubject = localVAPIDSubject
	}
	return cfg.Validate()
}

func readVAPID(path string) (vapidPair, error) {
	var p vapidPair
	b, err := os.ReadFile(path)
	if err != nil {
		return p, err
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return p, fmt.Errorf("delete the file to generate a new pair: %w", err)
	}
	return p, nil
}

func writeVAPID(path string) (vapidPair, error) {
	private, public, err := webpush.GenerateVAPIDKeys()
	if err != nil {
		return vapidPair{}, err
	}
	p := vapidPair{PublicKey: public, PrivateKey: private}
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return p, err
	}
	return p, os.WriteFile(path, append(b, '\n'), 0o600)
}
