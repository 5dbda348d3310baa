// Package web embeds the built browser app.
package web

import "embed"

// Dist is the built single-page app (web/dist: index.html and its hashed assets).
//
//go:embed all:dist
var Dist embed.FS
