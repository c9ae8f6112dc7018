// Command baton-ferretdb runs FerretDB (MongoDB wire protocol) for local development and tests,
// on its PostgreSQL backend (-handler postgresql, the default of `make`) or its SQLite one
// (-handler sqlite). It embeds FerretDB's library package because the released cmd/ferretdb
// binary panics unless built inside FerretDB's own tree (version.txt).
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27117", "TCP address to listen on")
	handler := flag.String("handler", "sqlite", "storage backend: postgresql or sqlite")
	postgresqlURL := flag.String("postgresql-url", "postgres://baton@127.0.0.1:15432/ferretdb",
		"PostgreSQL connection string (-handler postgresql)")
	dataDir := flag.String("data", ".baton/ferretdb", "directory for the SQLite files (-handler sqlite)")
	flag.Parse()

	config := &ferretdb.Config{Listener: ferretdb.ListenerConfig{TCP: *listen}, Handler: *handler}
	where := ""
	switch *handler {
	case "postgresql":
		config.PostgreSQLURL = *postgresqlURL
		where = *postgresqlURL
	case "sqlite":
		if err := os.MkdirAll(*dataDir, 0o755); err != nil {
			log.Fatalf("create data directory: %v", err)
		}
		config.SQLiteURL = "file:" + *dataDir + "/"
		where = *dataDir
	default:
		log.Fatalf("unknown -handler %q: postgresql or sqlite", *handler)
	}

	f, err := ferretdb.New(config)
	if err != nil {
		log.Fatalf("start FerretDB: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	log.Printf("FerretDB (%s) listening on %s, data in %s", *handler, *listen, where)
	if err := f.Run(ctx); err != nil {
		log.Fatalf("FerretDB stopped: %v", err)
	}
}
