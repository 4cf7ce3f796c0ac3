#!/usr/bin/env bash
# Prepares the GPU check. Run it HERE, on the build machine (the GPU machine has no JDK and no network):
#   - a trimmed Java runtime in .jre (jlink, ~40 MiB; ignored by git),
#   - the kiai CLI jar without the bundled llama.cpp native libraries, in benchmarks/gpu/target (ignored).
# Then run benchmarks/gpu/check.sh on the GPU machine, carrying ".jre" and "benchmarks/gpu/target".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
if [ ! -x .jre/bin/java ]; then
  jlink --add-modules java.base,java.net.http,java.logging,java.management,jdk.unsupported,java.naming,java.sql,jdk.crypto.ec,java.xml \
        --strip-debug --no-man-pages --no-header-files --compress=2 --output .jre
fi
mvn -B -q -o -DskipTests -pl sdk-cli -am package
mkdir -p benchmarks/gpu/target
jar="benchmarks/gpu/target/kiai-cli-gpu.jar"
cp sdk-cli/target/kiai-cli-*-all.jar "$jar"
# The planner needs no native code; the llama.cpp libraries for six platforms are ~30 MiB.
zip -q -d "$jar" 'de/kherud/llama/Linux/*' 'de/kherud/llama/Linux-Android/*' 'de/kherud/llama/Mac/*' \
    'de/kherud/llama/Windows/*' >/dev/null
.jre/bin/java -jar "$jar" gpu plan --model llama-3.1-8b --quant bf16 --ctx 2048 --gpu h200-141gb >/dev/null
du -sh .jre "$jar"
echo "ready: carry [\".jre\", \"benchmarks/gpu/target\"] and run: OUT=\$OUT bash benchmarks/gpu/check.sh"
