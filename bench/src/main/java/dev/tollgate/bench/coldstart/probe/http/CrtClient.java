package dev.tollgate.bench.coldstart.probe.http;

import java.time.Duration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.crt.AwsCrtHttpClient;

/** The AWS Common Runtime's native HTTP client (s2n TLS), with AwsClients' connection timeout. */
final class CrtClient {

    private CrtClient() {}

    static SdkHttpClient build() {
        return AwsCrtHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(3))
                .build();
    }
}
