/** The codecs suite lives in bench/codecs/ (LZ4 codecs compared in workerd and in Node). */
export { main } from "../codecs/main";
