package dev.tollgate.bench.coldstart.probe.http;

import java.time.Duration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;

/** Apache HttpClient 4.5, the SDK's default synchronous client, with AwsClients' timeouts. */
final class ApacheClient {

    private ApacheClient() {}

    static SdkHttpClient build() {
        return ApacheHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(3))
                .socketTimeout(Duration.ofSeconds(20))
                .build();
    }
}
