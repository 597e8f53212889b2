/* Scan station (/rma/scan): scan a slip with the device's camera where the
 * browser can decode barcodes itself (BarcodeDetector API), else nothing shows
 * and the USB/phone scanner or the keyboard remain. Plain script, no bundle:
 * the page works without it. getUserMedia needs HTTPS (or localhost). */
(function () {
    "use strict";
    const form = document.querySelector(".o_rma_scan_form");
    const button = form && form.querySelector(".o_rma_scan_camera_button");
    const video = form && form.querySelector(".o_rma_scan_camera");
    if (
        !button ||
        !video ||
        !("BarcodeDetector" in window) ||
        !(navigator.mediaDevices && navigator.mediaDevices.getUserMedia)
    ) {
        return;
    }
    button.classList.remove("d-none");
    let stream = null;

    function stop() {
        if (stream) {
            stream.getTracks().forEach((track) => track.stop());
            stream = null;
        }
        video.classList.add("d-none");
    }

    async function detectLoop(detector) {
        while (stream) {
            try {
                const codes = await detector.detect(video);
                if (codes.length && codes[0].rawValue) {
                    stop();
                    form.querySelector("input[name='code']").value = codes[0].rawValue;
                    form.submit();
                    return;
                }
            } catch {
                // the video is not ready yet: try again
            }
            await new Promise((resolve) => setTimeout(resolve, 250));
        }
    }

    button.addEventListener("click", async () => {
        if (stream) {
            stop();
            return;
        }
        let detector;
        try {
            const formats = await window.BarcodeDetector.getSupportedFormats();
            detector = new window.BarcodeDetector({
                formats: formats.filter((f) => ["qr_code", "code_128"].includes(f)),
            });
            stream = await navigator.mediaDevices.getUserMedia({
                video: {facingMode: "environment"},
                audio: false,
            });
        } catch (error) {
            stop();
            window.alert(error.message || String(error));
            return;
        }
        video.srcObject = stream;
        video.classList.remove("d-none");
        await video.play();
        detectLoop(detector);
    });
})();
