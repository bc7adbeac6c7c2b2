// The etcd server, built from the Go module proxy for the local Kubernetes API
// server that checks ragnative's manifests (scripts/kube-api-local.sh). etcd's
// own server module carries replace directives, which `go install` refuses;
// this one-line main module pins the same release without them.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
