#!/usr/bin/env bash
# Start or stop a throw-away Virtuoso 7 (Debian package virtuoso-opensource) on loopback, for the remote store.
#
#   scripts/virtuoso.sh start DIR   # new database in DIR; prints the ECOSYSTEM_GRAPH_* settings to use it
#   scripts/virtuoso.sh stop DIR
#
# Ports: VIRTUOSO_HTTP_PORT and VIRTUOSO_SQL_PORT (free ones are picked when unset). The server binds
# 127.0.0.1 only. Because it is a private test server, the anonymous SPARQL user may update (SPARQL_UPDATE
# and write permission on all graphs) and the dba password stays "dba"; never do that on a shared server:
# there, use the /sparql-auth endpoint with ECOSYSTEM_GRAPH_REMOTE_USER and ..._PASSWORD (digest auth).
set -euo pipefail

command=${1:-}
dir=${2:-}
if [ -z "$command" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

isql() {
  local port
  port=$(cat "$dir/sql.port")
  isql-vt "127.0.0.1:$port" dba dba exec="$1" >/dev/null
}

case "$command" in
start)
  command -v virtuoso-t >/dev/null || { echo "virtuoso-t not found: apt-get install virtuoso-opensource" >&2; exit 1; }
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  http_port=${VIRTUOSO_HTTP_PORT:-$(free_port)}
  sql_port=${VIRTUOSO_SQL_PORT:-$(free_port)}
  echo "$sql_port" > "$dir/sql.port"
  cat > "$dir/virtuoso.ini" <<EOF
[Database]
DatabaseFile       = $dir/virtuoso.db
ErrorLogFile       = $dir/virtuoso.log
LockFile           = $dir/virtuoso.lck
TransactionFile    = $dir/virtuoso.trx
xa_persistent_file = $dir/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = $dir/virtuoso-temp.db
TransactionFile    = $dir/virtuoso-temp.trx
Striping           = 0

[Parameters]
ServerPort               = 127.0.0.1:$sql_port
DisableUnixSocket        = 1
CheckpointInterval       = 60
CaseMode                 = 2
DirsAllowed              = ., $dir
NumberOfBuffers          = 20000
MaxDirtyBuffers          = 15000
MaxQueryMem              = 1G

[HTTPServer]
ServerPort               = 127.0.0.1:$http_port
ServerRoot               = /var/lib/virtuoso-opensource-7/vsp
MaxClientConnections     = 16
ServerThreads            = 16
Charset                  = UTF-8
EnabledGzipContent       = 0

[SPARQL]
; the default 10000 would cut query answers and dumps short
ResultSetMaxRows           = 100000000
MaxQueryExecutionTime      = 300
MaxQueryCostEstimationTime = 0
EOF
  (cd "$dir" && virtuoso-t +configfile "$dir/virtuoso.ini" +wait) > "$dir/start.log" 2>&1 || {
    cat "$dir/start.log" "$dir/virtuoso.log" >&2 2>/dev/null || true
    exit 1
  }
  for _ in $(seq 1 300); do
    if python3 -c "import urllib.request, sys; urllib.request.urlopen('http://127.0.0.1:$http_port/sparql?query=ASK%7B%7D', timeout=2)" 2>/dev/null; then
      break
    fi
    sleep 0.1
  done
  isql "grant SPARQL_UPDATE to \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);"
  cat <<EOF
ECOSYSTEM_GRAPH_BACKEND=remote
ECOSYSTEM_GRAPH_REMOTE_QUERY_URL=http://127.0.0.1:$http_port/sparql
ECOSYSTEM_GRAPH_REMOTE_UPDATE_URL=http://127.0.0.1:$http_port/sparql
ECOSYSTEM_GRAPH_REMOTE_GRAPH_STORE_URL=http://127.0.0.1:$http_port/sparql-graph-crud
EOF
  ;;
stop)
  [ -f "$dir/sql.port" ] || exit 0
  isql "shutdown;" 2>/dev/null || true
  for _ in $(seq 1 100); do
    [ -f "$dir/virtuoso.lck" ] || break
    sleep 0.1
  done
  if [ -f "$dir/virtuoso.lck" ]; then  # still up: stop it by the pid in its lock file
    pid=$(sed -n 's/^VIRT_PID=//p' "$dir/virtuoso.lck")
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  fi
  ;;
*)
  echo "usage: $0 start|stop DIR" >&2
  exit 2
  ;;
esac
