// Embedded FerretDB (SQLite backend) for bwv-fleet's default and test database.
// Built on demand by scripts/ferretdb.ts; run: ferretdb-embedded -listen 127.0.0.1:0 -data DIR
// We embed the library rather than `go install` its command because v1.24.2's
// command panics at start: build/version/version.txt is not part of the module.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "TCP address to listen on (port 0 picks a free one)")
	data := flag.String("data", "", "directory for the SQLite databases")
	watchStdin := flag.Bool("exit-on-stdin-eof", false, "shut down when standard input closes")
	// SQLite's PRAGMA synchronous for every database file. FerretDB opens them in WAL mode, where
	// FULL (SQLite's default) fsyncs the log at every commit and NORMAL only at checkpoints: a
	// commit then survives a crash or kill of this process, but not of the machine (docs/database.md).
	synchronous := flag.String("synchronous", "full", "PRAGMA synchronous: full or normal")
	flag.Parse()
	if *data == "" {
		log.Fatal("-data is required")
	}
	if err := os.MkdirAll(*data, 0o700); err != nil {
		log.Fatal(err)
	}

	if *synchronous != "full" && *synchronous != "normal" {
		log.Fatalf("-synchronous must be full or normal, not %q", *synchronous)
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})),
		Handler:   "sqlite",
		SQLiteURL: "file:" + *data + "/?_pragma=synchronous(" + *synchronous + ")",
	})
	if err != nil {
		log.Fatal(err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if *watchStdin {
		// The parent holds our stdin open; EOF means it died without stopping us.
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}

	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()
	// MongoDBURI blocks until the listener is bound, so port 0 resolves without a race.
	// The parent process waits for this line before connecting.
	fmt.Printf("LISTENING %s\n", f.MongoDBURI())

	if err := <-done; err != nil && ctx.Err() == nil {
		log.Fatal(err)
	}
}
